namespace EthicsPortal.Core.Cases;

/// <summary>A committee queue. Intake places every case in the default queue until routing rules exist.</summary>
public sealed class Queue
{
    public const int NameMaxLength = 100;
    public const string DefaultName = "General";

    private Queue() { }

    public Queue(string name, bool isDefault)
    {
        Name = name;
        IsDefault = isDefault;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public bool IsDefault { get; private set; }
}
