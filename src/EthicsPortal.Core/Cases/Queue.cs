using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Cases;

/// <summary>A committee queue. Intake places every case in the default queue until routing rules exist.</summary>
public sealed class Queue
{
    public const int NameMaxLength = 100;
    public const string DefaultName = "General";
    public const int DefaultRetentionDays = 365;
    public const int MinRetentionDays = 1;
    public const int MaxRetentionDays = 3650;

    private Queue() { }

    public Queue(string name, bool isDefault)
    {
        Name = name;
        IsDefault = isDefault;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public bool IsDefault { get; private set; }

    /// <summary>Days after a case in this queue is closed or rejected before retention erases its content.</summary>
    public int RetentionDays { get; private set; } = DefaultRetentionDays;

    public Result SetRetentionDays(int days)
    {
        if (days is < MinRetentionDays or > MaxRetentionDays)
            return Error.Validation($"Keep closed cases for {MinRetentionDays} to {MaxRetentionDays:N0} days.");
        RetentionDays = days;
        return Result.Ok();
    }
}
