using EthicsPortal.Tests.Shared;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>What the portal keeps on disk is its own account's alone (#15 L5), and an unprotected key ring is said once.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    [Fact]
    public async Task DataFolder_KeyRingAndFiles_AreReadableByThePortalsAccountOnly_AndTheBareKeyRingIsSaidOnce()
    {
        await using var portal = new PortalFactory();
        File.SetUnixFileMode(portal.Folder, PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        using var client = portal.CreateBrowserlikeClient();
        using (await Forms.SubmitConcernAsync(client, Forms.Concern())) { }   // writes the database, its WAL, a key and the audit head

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(portal.Folder));   // an existing folder is made private too
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.Combine(portal.Folder, "keys")));
        foreach (var file in new[] { portal.DatabasePath, Path.Combine(portal.Folder, "audit-head.txt") })
            Assert.Equal(Private, File.GetUnixFileMode(file));
        var keys = Directory.GetFiles(Path.Combine(portal.Folder, "keys"), "*.xml");
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Equal(Private, File.GetUnixFileMode(key)));   // a key written after start-up too
        Assert.Single(portal.Logs, l => l.Contains("has no protection at rest", StringComparison.Ordinal));
    }
}
