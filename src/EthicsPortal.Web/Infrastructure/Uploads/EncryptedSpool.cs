using System.Buffers.Binary;
using System.Security.Cryptography;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Web.Infrastructure.Uploads;

/// <summary>
/// Where one request's uploaded files wait, on disk, until the evidence step reads them: so a large upload needs no
/// memory, and no byte of an original (with its metadata) reaches the disk in the clear. One file per request, under a
/// fresh AES-256-GCM key that exists only in this object's memory; cut into 64 KiB chunks, each sealed with its own
/// nonce (the chunk's number), so a chunk can be neither altered nor moved. On Unix the file is unlinked as soon as
/// it is created: even a crash leaves nothing behind, and the key died with the process anyway.
/// </summary>
public sealed class EncryptedSpool : IDisposable
{
    public const int ChunkSize = 64 * 1024;
    private const int TagSize = 16;
    private const int SealedChunk = ChunkSize + TagSize;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly FileStream _file;
    private long _nextChunk;
    private bool _disposed;

    public EncryptedSpool(string folder)
    {
        PrivateFiles.Folder(folder);
        var path = Path.Combine(folder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFiles.FileMode;
        _file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
            File.Delete(path);   // the open handle keeps it readable; no name on disk points to it any more
    }

    /// <summary>The file, for tests that look at what is really on disk.</summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle Handle => _file.SafeFileHandle;

    /// <summary>
    /// Copies <paramref name="source"/> to the end of the spool, sealed. Stops with <see cref="InvalidDataException"/>
    /// past <paramref name="maxBytes"/> (the request's own limit stops a body long before; this is the spool's guard).
    /// </summary>
    public async Task<SpoolSegment> WriteAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var plain = new byte[ChunkSize];
        var sealedChunk = new byte[SealedChunk];
        using var aes = new AesGcm(_key, TagSize);
        var first = _nextChunk;
        long length = 0;
        while (true)
        {
            var filled = await FillAsync(source, plain, ct);
            if (filled == 0)
                break;
            length += filled;
            if (length > maxBytes)
                throw new InvalidDataException("Multipart body length limit exceeded.");
            Seal(aes, _nextChunk, plain.AsSpan(0, filled), sealedChunk);
            await RandomAccess.WriteAsync(_file.SafeFileHandle, sealedChunk.AsMemory(0, filled + TagSize), _nextChunk * SealedChunk, ct);
            _nextChunk++;
            if (filled < ChunkSize)
                break;
        }
        CryptographicOperations.ZeroMemory(plain);
        return new SpoolSegment(first, length);
    }

    /// <summary>A read-only stream of one segment's plaintext, checked chunk by chunk.</summary>
    public Stream Open(SpoolSegment segment)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SegmentStream(this, segment);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
        _file.Dispose();
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }

    private static void Seal(AesGcm aes, long chunk, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], chunk);
        aes.Encrypt(nonce, plain, output[..plain.Length], output.Slice(plain.Length, TagSize));
    }

    private void Open(AesGcm aes, long chunk, ReadOnlySpan<byte> sealedChunk, Span<byte> plain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], chunk);
        var length = sealedChunk.Length - TagSize;
        aes.Decrypt(nonce, sealedChunk[..length], sealedChunk[length..], plain[..length]);
    }

    /// <summary>Decrypts one chunk at a time: reading a 25 MB file costs 128 KiB of buffers.</summary>
    private sealed class SegmentStream(EncryptedSpool spool, SpoolSegment segment) : Stream
    {
        private readonly AesGcm _aes = new(spool._key, TagSize);
        private readonly byte[] _sealed = new byte[SealedChunk];
        private readonly byte[] _plain = new byte[ChunkSize];
        private long _position;     // in the segment's plaintext
        private long _bufferStart;  // offset of _plain's first byte in the plaintext
        private int _bufferLength;
        private bool _buffered;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => segment.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= segment.Length || buffer.IsEmpty)
                return 0;
            var index = _position / ChunkSize;
            if (!_buffered || _bufferStart != index * ChunkSize)
                Load(index);
            var inChunk = (int)(_position - _bufferStart);
            var count = Math.Min(buffer.Length, _bufferLength - inChunk);
            _plain.AsSpan(inChunk, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        private void Load(long index)
        {
            var length = (int)Math.Min(ChunkSize, segment.Length - index * ChunkSize);
            var chunk = segment.FirstChunk + index;
            var read = 0;
            while (read < length + TagSize)
            {
                var n = RandomAccess.Read(spool._file.SafeFileHandle, _sealed.AsSpan(read, length + TagSize - read), chunk * SealedChunk + read);
                if (n == 0)
                    throw new IOException("The upload spool ended early.");
                read += n;
            }
            spool.Open(_aes, chunk, _sealed.AsSpan(0, length + TagSize), _plain);
            _bufferStart = index * ChunkSize;
            _bufferLength = length;
            _buffered = true;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _aes.Dispose();
                CryptographicOperations.ZeroMemory(_plain);
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Where one file sits in a spool: its first chunk and its plaintext length.</summary>
public readonly record struct SpoolSegment(long FirstChunk, long Length);
