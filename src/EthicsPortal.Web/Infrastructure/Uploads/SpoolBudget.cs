using EthicsPortal.Core.Intake;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure.Uploads;

/// <summary>
/// The disk that uploads in flight may use at once (<see cref="IntakeOptions.SpoolBytes"/>), counted by what was
/// really written, not by what a request declares: to hold the budget a client must send the bytes. A request's share
/// is given back when it ends. Past the budget the upload is refused with a calm 503 (nothing stored); concerns
/// without files never touch the spool, so this can never stop a written report.
/// </summary>
public sealed class SpoolBudget(IOptions<IntakeOptions> options)
{
    private long _inFlight;
    private long Limit => options.Value.SpoolBytes;

    public string Folder => options.Value.SpoolFolder is { Length: > 0 } folder
        ? folder
        : Path.Combine(Path.GetTempPath(), "ethicsportal-spool");

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>One request's share; disposing it (when the request ends) gives back everything it charged.</summary>
    public SpoolCharge Charge() => new(this);

    public sealed class SpoolCharge(SpoolBudget budget) : IDisposable
    {
        private long _charged;

        /// <summary>Charges each byte as it is read, before it is written, and refuses the one over the budget.</summary>
        public Stream Wrap(Stream source) => new Counted(source, this);

        private void Add(int bytes)
        {
            _charged += bytes;
            if (Interlocked.Add(ref budget._inFlight, bytes) > budget.Limit)
                throw new SpoolFullException();
        }

        public void Dispose()
        {
            Interlocked.Add(ref budget._inFlight, -_charged);
            _charged = 0;
        }

        private sealed class Counted(Stream inner, SpoolCharge charge) : Stream
        {
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                var n = await inner.ReadAsync(buffer, cancellationToken);
                charge.Add(n);
                return n;
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

/// <summary>The uploads in flight have used up the spool's disk budget.</summary>
public sealed class SpoolFullException() : IOException("The upload spool is full.");
