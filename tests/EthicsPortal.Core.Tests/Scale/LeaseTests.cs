using EthicsPortal.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Scale;

/// <summary>Background work runs once across instances: one holder at a time, and another takes over when it stops.</summary>
public class LeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneHolderAtATime_TheHolderRenews_AnotherTakesOverOnlyAfterExpiry()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var other = db.OpenAnotherInstance();
        var a = db.Get<LeaseService>();
        var b = other.GetRequiredService<LeaseService>();
        var idA = db.Get<PortalInstance>().Id;
        var idB = other.GetRequiredService<PortalInstance>().Id;
        Assert.NotEqual(idA, idB);

        Assert.True(await a.TryAcquireAsync("retention", idA, TimeSpan.FromMinutes(2), Ct));
        Assert.False(await b.TryAcquireAsync("retention", idB, TimeSpan.FromMinutes(2), Ct));
        Assert.True(await b.TryAcquireAsync("email-digest", idB, TimeSpan.FromMinutes(2), Ct));   // another kind of work
        db.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await a.TryAcquireAsync("retention", idA, TimeSpan.FromMinutes(2), Ct));     // renewed: now valid 2 more minutes
        db.Time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.False(await b.TryAcquireAsync("retention", idB, TimeSpan.FromMinutes(2), Ct));
        db.Time.Advance(TimeSpan.FromMinutes(1));                                                // A stopped renewing
        Assert.True(await b.TryAcquireAsync("retention", idB, TimeSpan.FromMinutes(2), Ct));
        Assert.False(await a.TryAcquireAsync("retention", idA, TimeSpan.FromMinutes(2), Ct));
    }

    [Fact]
    public async Task TwoInstancesRacingForAFreeLease_OnlyOneWins()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var other = db.OpenAnotherInstance();
        var contenders = Enumerable.Range(0, 10).Select(i =>
        {
            var leases = i % 2 == 0 ? db.Get<LeaseService>() : other.GetRequiredService<LeaseService>();
            return Task.Run(() => leases.TryAcquireAsync("deadline-monitor", $"instance-{i}", TimeSpan.FromMinutes(5), Ct), Ct);
        }).ToList();

        var won = await Task.WhenAll(contenders);

        Assert.Single(won, w => w);
    }
}
