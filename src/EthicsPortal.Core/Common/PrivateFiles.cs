namespace EthicsPortal.Core.Common;

/// <summary>
/// What the portal keeps on disk (database, WAL, key ring, audit head) is for its own account only: folders 0700, files
/// 0600. A folder of 0700 also covers files created in it later with the process's umask (SQLite's -wal and -shm, new
/// keys). On Windows the folder's ACL is the operator's to set.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder if needed and makes it private (an existing one too).</summary>
    public static void Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>Makes each existing file private.</summary>
    public static void Restrict(params IEnumerable<string> files)
    {
        if (OperatingSystem.IsWindows())
            return;
        foreach (var file in files.Where(File.Exists))
            File.SetUnixFileMode(file, FileMode);
    }

    /// <summary>Options for a new file that is private from its first byte.</summary>
    public static FileStreamOptions NewFile() => OperatingSystem.IsWindows()
        ? new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write }
        : new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode };
}
