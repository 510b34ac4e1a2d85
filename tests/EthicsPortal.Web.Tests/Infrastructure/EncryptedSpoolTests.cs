using System.Security.Cryptography;
using System.Text;
using EthicsPortal.Web.Infrastructure.Uploads;

namespace EthicsPortal.Web.Tests.Infrastructure;

/// <summary>The upload spool keeps files on disk only as ciphertext, under a key that never leaves memory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptedSpoolTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ep-spool-test-" + Guid.NewGuid().ToString("N"));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(EncryptedSpool.ChunkSize)]
    [InlineData(EncryptedSpool.ChunkSize + 1)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public async Task Segments_ReadBackExactly_InAnyReadSize(int length)
    {
        var before = RandomNumberGenerator.GetBytes(5000);
        var content = RandomNumberGenerator.GetBytes(length);
        using var spool = new EncryptedSpool(_folder);
        var first = await spool.WriteAsync(new MemoryStream(before), long.MaxValue, Ct);
        var segment = await spool.WriteAsync(new MemoryStream(content), long.MaxValue, Ct);

        Assert.Equal(length, segment.Length);
        Assert.Equal(content, ReadAll(spool.Open(segment), 7919));        // odd read sizes cross chunk borders
        Assert.Equal(content, ReadAll(spool.Open(segment), 1 << 20));
        Assert.Equal(before, ReadAll(spool.Open(first), 4096));           // an earlier segment is still intact
    }

    [Fact]
    public async Task Disk_HoldsNoPlaintext_AndNoNameInTheFolder()
    {
        var marker = Encoding.UTF8.GetBytes("GPS 52.5200N 13.4050E camera owner Jane Reporter ");
        var content = Enumerable.Repeat(marker, 5000).SelectMany(b => b).ToArray();
        using var spool = new EncryptedSpool(_folder);
        await spool.WriteAsync(new MemoryStream(content), long.MaxValue, Ct);

        var raw = RawBytes(spool);
        Assert.True(raw.Length >= content.Length);
        Assert.Equal(-1, raw.AsSpan().IndexOf(marker.AsSpan(0, 16)));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));   // unlinked at once: a crash leaves nothing to find
        Assert.Equal(PrivateMode, File.GetUnixFileMode(_folder));
    }

    [Fact]
    public async Task WritingPastTheLimit_IsRefused()
    {
        using var spool = new EncryptedSpool(_folder);
        await Assert.ThrowsAsync<InvalidDataException>(() => spool.WriteAsync(new MemoryStream(new byte[200_000]), 100_000, Ct));
    }

    [Fact]
    public async Task AnAlteredChunk_IsNeverReadAsContent()
    {
        using var spool = new EncryptedSpool(_folder);
        var segment = await spool.WriteAsync(new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), long.MaxValue, Ct);
        var b = new byte[1];
        const long inTheSecondChunk = EncryptedSpool.ChunkSize + 100;
        RandomAccess.Read(spool.Handle, b, inTheSecondChunk);
        b[0] ^= 1;
        RandomAccess.Write(spool.Handle, b, inTheSecondChunk);
        Assert.ThrowsAny<CryptographicException>(() => ReadAll(spool.Open(segment), 4096));
    }

    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static byte[] ReadAll(Stream stream, int readSize)
    {
        using (stream)
        {
            var output = new MemoryStream();
            var buffer = new byte[readSize];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                output.Write(buffer, 0, n);
            return output.ToArray();
        }
    }

    /// <summary>What the (unlinked) file holds on disk, read through its own descriptor.</summary>
    private static byte[] RawBytes(EncryptedSpool spool)
    {
        var raw = new byte[RandomAccess.GetLength(spool.Handle)];
        var read = 0;
        while (read < raw.Length)
            read += RandomAccess.Read(spool.Handle, raw.AsSpan(read), read);
        return raw;
    }
}
