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

    /// <summary>
    /// Concerns from one client an hour (keyed by a salted hash held in memory only) that go straight to the committee;
    /// more from the same client are stored for the chair's screening, never refused.
    /// </summary>
    public int SubmissionsPerClientPerHour { get; set; } = 10;

    /// <summary>Concerns the whole portal sends straight to the committee an hour; more are stored for screening.</summary>
    public int SubmissionsPerHour { get; set; } = 1_000;

    /// <summary>
    /// How many concerns an hour may wait for screening, and how many bytes they may take: the bound on what a flood can
    /// store. Only past it is a concern refused (429), and the form keeps what the reporter wrote.
    /// </summary>
    public int ScreeningPerHour { get; set; } = 5_000;

    public long ScreeningBytesPerHour { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Wrong receipts a client may try in an hour; after that each try from it waits <see cref="SlowReceiptDelay"/>.</summary>
    public int FailedReceiptsPerClientPerHour { get; set; } = 10;

    /// <summary>
    /// The wait for each receipt tried by a client past its limit. Never a refusal: on Tor many reporters share an exit
    /// address, and a correct receipt must still open the inbox; guessing 120 bits at a few tries a second is hopeless.
    /// </summary>
    public TimeSpan SlowReceiptDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Disk that uploads in flight may use at once, in their encrypted spool (counted by bytes really received).
    /// Past it an upload is refused with a 503 and nothing is stored; concerns without files never use it.
    /// </summary>
    public long SpoolBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Where uploads are spooled, encrypted under a key held only in memory; empty: the system's temp folder.</summary>
    public string SpoolFolder { get; set; } = "";

    /// <summary>
    /// Uploads whose evidence is cleaned and stored at the same time. Each may hold its files' cleaned and encrypted
    /// bytes (up to <see cref="MaxTotalBytes"/>) and one decoded image; the others wait, so memory stays bounded.
    /// </summary>
    public int EvidenceAtOnce { get; set; } = 1;

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
