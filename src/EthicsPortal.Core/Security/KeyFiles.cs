namespace EthicsPortal.Core.Security;

/// <summary>Small secrets kept beside the Data Protection key ring, readable by the portal's user only.</summary>
internal static class KeyFiles
{
    private static readonly Lock Gate = new();

    public static byte[] LoadOrCreate(string path, Func<byte[]> create)
    {
        lock (Gate)
        {
            if (File.Exists(path))
                return File.ReadAllBytes(path);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var value = create();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path, options))
                stream.Write(value);
            return value;
        }
    }
}
