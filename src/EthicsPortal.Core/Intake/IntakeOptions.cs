namespace EthicsPortal.Core.Intake;

/// <summary>A choice on the form: a stable key that is stored, and the English label used when no translation exists.</summary>
public sealed class ChoiceOption
{
    public string Key { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>The form's lists and limits (appsettings.json "Intake"); validation and the page read the same numbers.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";
    public const int CustomerMaxLength = 200;
    public const int ShortTextMaxLength = 2_000;
    public const int NameMaxLength = 200;
    public const int ContactMaxLength = 200;

    public List<ChoiceOption> Products { get; set; } = [];
    public List<ChoiceOption> MisuseTypes { get; set; } = [];
    public int DescriptionMaxLength { get; set; } = 20_000;
    public int MaxFiles { get; set; } = 10;
    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;
    public long MaxTotalBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Submissions a client may make an hour (keyed by a salted hash held in memory only).</summary>
    public int SubmissionsPerClientPerHour { get; set; } = 10;

    /// <summary>Submissions the whole portal accepts an hour, against floods from many addresses.</summary>
    public int SubmissionsPerHour { get; set; } = 1_000;

    /// <summary>Wrong receipts a client may try in an hour before the inbox answers 429.</summary>
    public int FailedReceiptsPerClientPerHour { get; set; } = 10;

    /// <summary>Wrong receipts the whole portal accepts in an hour, against guessing from many addresses.</summary>
    public int FailedReceiptsPerHour { get; set; } = 1_000;

    /// <summary>Used when appsettings.json names no lists.</summary>
    public static readonly ChoiceOption[] DefaultProducts =
    [
        new() { Key = "cloud-storage", Label = "Cloud storage" },
        new() { Key = "ai-services", Label = "AI services" },
        new() { Key = "compute", Label = "Compute" },
        new() { Key = "communications", Label = "Communications" },
        new() { Key = "other", Label = "Other" },
    ];

    public static readonly ChoiceOption[] DefaultMisuseTypes =
    [
        new() { Key = "mass-surveillance", Label = "Mass surveillance of civilians" },
        new() { Key = "human-rights-harm", Label = "Human-rights harm" },
        new() { Key = "military-targeting", Label = "Military or weapons targeting" },
        new() { Key = "privacy-breach", Label = "Privacy or data-protection breach" },
        new() { Key = "export-control", Label = "Export control or sanctions" },
        new() { Key = "acceptable-use", Label = "Acceptable-use breach" },
        new() { Key = "other", Label = "Other" },
    ];
}
