using System.Collections.Concurrent;
using System.Data.Common;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>Counts the contexts and SQL commands of everything a test does, per context instance.</summary>
internal sealed class QueryCounter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, int> _commands = new();

    public int Contexts => _commands.Count;
    public int Commands => _commands.Values.Sum();

    public void Reset() => _commands.Clear();

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        => Count(eventData, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
        => ValueTask.FromResult(Count(eventData, result));

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken ct = default)
        => ValueTask.FromResult(Count(eventData, result));

    private T Count<T>(CommandExecutedEventData eventData, T result)
    {
        if (eventData.Context is { } context)
            _commands.AddOrUpdate(context.ContextId.InstanceId, 1, (_, n) => n + 1);
        return result;
    }
}

/// <summary>The case page is served by one read: one context, a bounded number of commands, every list its panels need.</summary>
public sealed class CasePageQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PageAsync_ReadsTheWholeCasePageInOneContext_WithFarFewerCommandsThanThePanelsServicesEach()
    {
        var counter = new QueryCounter();
        await using var w = await Workspace.CreateAsync(s => s.AddSingleton<IInterceptor>(counter));
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("Ministry of Interior", ["MoI"], [w.AccountTeam]), w.Admin, Ct)).Value;
        var id = await w.ConcernAsync(confidential: true);
        Assert.True((await w.Get<CaseService>().LinkCustomerAsync(id, w.InQueue, customer, Ct)).Succeeded);
        var queries = w.Get<CaseQueries>();

        // What the page did before: a read per service, each in a context of its own.
        counter.Reset();
        Assert.True((await queries.GetAsync(id, w.Chair, recordView: false, Ct)).Succeeded);
        await queries.AssignableAsync(id, w.Chair, Ct);
        var customers = w.Get<CustomerService>();
        await customers.ListAsync(Ct);
        await customers.SuggestAsync("Ministry of Interior", Ct);
        await w.Get<QueueAdminService>().QueuesAsync(Ct);
        await w.Get<EthicsPortal.Core.Intake.IntakeService>().ListCommitteeMembersAsync(Ct);
        var (separateContexts, separateCommands) = (counter.Contexts, counter.Commands);

        counter.Reset();
        var page = (await queries.PageAsync(id, w.Chair, recordView: false, Ct)).Value!;

        TestContext.Current.TestOutputHelper?.WriteLine($"separate: {separateContexts} contexts, {separateCommands} commands; one read: {counter.Contexts} context, {counter.Commands} commands");
        Assert.Equal(1, counter.Contexts);
        Assert.True(separateContexts >= 6, $"{separateContexts} contexts before");
        Assert.True(counter.Commands < separateCommands, $"{counter.Commands} commands in one read, {separateCommands} in separate reads");
        Assert.True(counter.Commands <= 20, $"{counter.Commands} commands, {separateCommands} before");
        // Every list the panels offer, as the services that own them would give it.
        Assert.Equal("Recordings of civilians' calls.", page.Details.Report.Description);
        Assert.Equal((await queries.AssignableAsync(id, w.Chair, Ct)).Select(a => a.Id).Order(), page.Assignable.Select(a => a.Id).Order());
        Assert.DoesNotContain(page.Assignable, a => a.Id == w.AccountTeam);   // the customer's account team is never offered
        Assert.Equal("Ministry of Interior", Assert.Single(page.Suggestions).Name);
        Assert.Equal(customer, page.Details.CustomerId);
        Assert.Equal(3, page.Queues.Count);
        Assert.Contains(page.Committee, m => m.Id == w.InQueue);
        Assert.DoesNotContain(page.Committee, m => m.Id == w.Chair);   // the chair does not exclude themselves
        Assert.False(page.ViewerNeedsCode);
        Assert.False(page.ViewerHasPasskey);
    }

    [Fact]
    public async Task PageAsync_ForAHandler_HoldsNoChairLists_AndForSomeoneOutsideTheQueue_NothingAtAll()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var queries = w.Get<CaseQueries>();

        var handler = (await queries.PageAsync(id, w.InQueue, recordView: false, Ct)).Value!;
        Assert.Empty(handler.Queues);
        Assert.Empty(handler.Committee);

        var outside = await queries.PageAsync(id, w.OutsideQueue, recordView: false, Ct);
        Assert.False(outside.Succeeded);
        Assert.Equal(EthicsPortal.Core.Common.ErrorKind.NotFound, outside.Error!.Kind);
    }
}
