namespace EthicsPortal.Core.Cases;

/// <summary>A handler who works a queue.</summary>
public sealed class QueueMember
{
    private QueueMember() { }

    public QueueMember(int queueId, string userId)
    {
        QueueId = queueId;
        UserId = userId;
    }

    public int QueueId { get; private set; }
    public string UserId { get; private set; } = "";
}

/// <summary>
/// One routing rule: when every condition that is set matches, the case goes to the queue with the priority.
/// Rules are tried in <see cref="Order"/>; the first match wins; no match means the default queue.
/// </summary>
public sealed class RoutingRule
{
    private RoutingRule() { }

    public RoutingRule(int order, string? misuseTypeKey, string? productKey, OngoingHarm? ongoing, int queueId, CasePriority priority)
    {
        Order = order;
        MisuseTypeKey = string.IsNullOrWhiteSpace(misuseTypeKey) ? null : misuseTypeKey;
        ProductKey = string.IsNullOrWhiteSpace(productKey) ? null : productKey;
        Ongoing = ongoing;
        QueueId = queueId;
        Priority = priority;
    }

    public int Id { get; private set; }
    public int Order { get; private set; }
    public string? MisuseTypeKey { get; private set; }
    public string? ProductKey { get; private set; }
    public OngoingHarm? Ongoing { get; private set; }
    public int QueueId { get; private set; }
    public CasePriority Priority { get; private set; }

    /// <summary>Changes what the rule matches and where it sends; false when nothing changed.</summary>
    internal bool Change(string? misuseTypeKey, string? productKey, OngoingHarm? ongoing, int queueId, CasePriority priority)
    {
        misuseTypeKey = string.IsNullOrWhiteSpace(misuseTypeKey) ? null : misuseTypeKey;
        productKey = string.IsNullOrWhiteSpace(productKey) ? null : productKey;
        if ((MisuseTypeKey, ProductKey, Ongoing, QueueId, Priority) == (misuseTypeKey, productKey, ongoing, queueId, priority))
            return false;
        (MisuseTypeKey, ProductKey, Ongoing, QueueId, Priority) = (misuseTypeKey, productKey, ongoing, queueId, priority);
        return true;
    }

    internal void PlaceAt(int order) => Order = order;

    public bool Matches(string misuseTypeKey, string productKey, OngoingHarm ongoing)
        => (MisuseTypeKey is null || MisuseTypeKey == misuseTypeKey)
           && (ProductKey is null || ProductKey == productKey)
           && (Ongoing is null || Ongoing == ongoing);

    /// <summary>First match wins; null means "use the default queue".</summary>
    public static RoutingRule? FirstMatch(IEnumerable<RoutingRule> rules, string misuseTypeKey, string productKey, OngoingHarm ongoing)
        => rules.OrderBy(r => r.Order).ThenBy(r => r.Id).FirstOrDefault(r => r.Matches(misuseTypeKey, productKey, ongoing));
}
