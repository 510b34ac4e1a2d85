using EthicsPortal.Core.Intake;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Slows guessing of receipts on top of their 120 bits, without letting anyone lock reporters out: wrong receipts are
/// counted per client (an HMAC of the address under a salt held only in memory) over the last hour, and past the limit
/// every try from that client waits <see cref="IntakeOptions.SlowReceiptDelay"/> before it is looked up. There is no
/// portal-wide limit, so wrong receipts from many addresses change nothing for anyone else, and a correct receipt from
/// a client past its limit (a Tor exit that a guesser shares) still opens its inbox. Nothing here is written anywhere.
/// </summary>
public sealed class ReceiptGuard(IOptions<IntakeOptions> options, TimeProvider time)
{
    private readonly RecentFailures _failures = new(TimeSpan.FromHours(1), options.Value.FailedReceiptsPerClientPerHour, time);

    /// <summary>Waits first when this client has tried too many wrong receipts in the hour.</summary>
    public async Task PaceAsync(HttpContext context, CancellationToken ct)
    {
        if (_failures.Count(AnonymousClientKey.For(context)) >= options.Value.FailedReceiptsPerClientPerHour)
            await Task.Delay(options.Value.SlowReceiptDelay, time, ct);
    }

    public void RecordFailure(HttpContext context) => _failures.Add(AnonymousClientKey.For(context));
}
