using System.Globalization;
using EthicsPortal.Core;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Inserts cases with plain SQL (the aggregate would take hours for a million). Every NOT NULL column of the
/// Cases table gets a value, read from the schema, so the bench keeps working when columns are added.
/// </summary>
internal static class BenchData
{
    /// <summary>
    /// An HR member to ask for the report as: the insights service reads roles from the database, so the bench uses the
    /// demo's HR account (created through the portal's own set-up path).
    /// </summary>
    public static async Task<string> HrAsync(IServiceProvider services)
    {
        await services.GetRequiredService<EthicsPortal.Core.Security.DemoSeeder>().SeedAsync();
        await using var db = await services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == "hr@demo.local").Select(u => u.Id).SingleAsync();
    }

    private static readonly string[] Types = ["mass-surveillance", "human-rights-harm", "military-targeting", "privacy-breach", "export-control", "acceptable-use", "other"];
    private static readonly string[] Products = ["cloud-storage", "ai-services", "compute", "communications", "other"];
    private static readonly string[] Statuses = ["Received", "Acknowledged", "Triage", "Investigating", "Referred", "Rejected", "Closed", "Closed", "Closed", "Reopened"];
    private static readonly string[] Channels = ["WebAnonymous", "WebConfidential", "Operator"];
    private static readonly string[] Outcomes = ["Substantiated", "PartlySubstantiated", "NotSubstantiated"];
    private static readonly string[] Kinds = ["ServicesSuspended", "ServicesTerminated", "ContractReview", "PolicyChange", "ReferredToAuthorities", "Other"];

    public static async Task FillAsync(IDbContextFactory<EthicsDbContext> contexts, string path, int total)
    {
        var queues = new List<int>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            foreach (var name in new[] { "Human rights", "Privacy", "Export control" })
                db.Queues.Add(new Queue(name, false));
            await db.SaveChangesAsync();
            queues.AddRange(await db.Queues.Select(q => q.Id).ToListAsync());
        }

        await using var connection = new SqliteConnection(CoreServices.SqliteConnectionString(path));
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;";
            await pragma.ExecuteNonQueryAsync();
        }
        var columns = new List<(string Name, string Type, bool NotNull)>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('Cases')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.GetInt64(4) == 1)
                    continue;
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) == 1));
            }
        }

        var random = new Random(42);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Year - 5, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var span = (DateTimeOffset.UtcNow.AddDays(-1) - start).TotalSeconds;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO Cases ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select(c => "$" + c.Name))})";
        var parameters = columns.ToDictionary(c => c.Name, c => insert.Parameters.Add("$" + c.Name, c.Type switch
        {
            "INTEGER" => SqliteType.Integer,
            "REAL" => SqliteType.Real,
            "BLOB" => SqliteType.Blob,
            _ => SqliteType.Text,
        }));
        var actions = new List<(long Case, int Month, string Kind)>();
        var checkIns = new List<(long Case, int Month, int Day, bool Worse)>();
        for (var i = 1; i <= total; i++)
        {
            // In arrival order, as a real portal fills: a period's rows sit together in the table.
            var received = start.AddSeconds(span * (i - 1) / total + random.NextDouble() * 60);
            // As in a working committee: concerns older than about nine months are nearly all decided; the open ones are recent.
            var ageDays = (DateTimeOffset.UtcNow - received).TotalDays;
            // Recent ones move through the workflow: received for days, acknowledged or in triage for weeks, investigated for months.
            var status = ageDays > 270 && random.Next(100) < 97 ? (random.Next(6) == 0 ? "Rejected" : "Closed")
                : ageDays > 60 && random.Next(100) < 70 ? (random.Next(6) == 0 ? "Rejected" : "Closed")
                : Statuses[random.Next(Statuses.Length)] switch
                {
                    "Received" when ageDays > 10 && random.Next(100) < 95 => "Acknowledged",
                    "Acknowledged" or "Triage" when ageDays > 45 && random.Next(100) < 90 => "Investigating",
                    var s => s,
                };
            var acknowledged = status != "Received" && !(status == "Rejected" && random.Next(2) == 0);
            var closed = status is "Closed" or "Rejected" || status == "Reopened";
            var ackSeconds = acknowledged ? (long)(random.NextDouble() * (random.Next(10) == 0 ? 14 : 6) * 86_400) : (long?)null;
            var closeSeconds = closed ? (long)((10 + random.NextDouble() * 200) * 86_400) : (long?)null;
            var values = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Reference"] = $"C-B{i:D9}",
                ["Status"] = status,
                ["Channel"] = Channels[random.Next(Channels.Length)],
                ["ReceivedAt"] = received.UtcTicks,
                ["ProductKey"] = Products[random.Next(Products.Length)],
                ["MisuseTypeKey"] = Types[random.Next(Types.Length)],
                ["Ongoing"] = "Yes",
                ["QueueId"] = queues[random.Next(queues.Count)],
                ["ReceiptHash"] = BitConverter.GetBytes((long)i).Concat(new byte[24]).ToArray(),
                ["ContentSha256"] = new string('0', 64),
                ["Version"] = Guid.NewGuid().ToString().ToUpperInvariant(),
                ["AcknowledgeBy"] = received.AddDays(7).UtcTicks,
                ["FeedbackBy"] = received.AddDays(7).AddMonths(3).UtcTicks,
                ["FeedbackMonths"] = 3,
                ["Priority"] = "Normal",
                ["ReceivedMonth"] = Case.MonthOf(received),
                ["AcknowledgedAt"] = ackSeconds is { } a ? received.AddSeconds(a).UtcTicks : null,
                ["SecondsToAcknowledge"] = ackSeconds,
                ["AcknowledgedInTime"] = ackSeconds is { } a2 ? a2 <= 7 * 86_400 : null,
                ["FeedbackInTime"] = closed ? random.Next(5) > 0 : null,
                ["FirstFeedbackAt"] = closed ? received.AddSeconds(closeSeconds!.Value).UtcTicks
                    : acknowledged && random.Next(5) > 0 && received.AddDays(45) < DateTimeOffset.UtcNow ? received.AddDays(30 + random.Next(30)).UtcTicks : null,
                ["ClosedAt"] = closeSeconds is { } c ? received.AddSeconds(c).UtcTicks : null,
                ["ClosedMonth"] = closeSeconds is { } c2 ? Case.MonthOf(received.AddSeconds(c2)) : null,
                ["SecondsToClose"] = closeSeconds,
                ["Outcome"] = status == "Rejected" ? "OutOfScope" : closed ? Outcomes[random.Next(Outcomes.Length)] : null,
                ["RetaliationFlagged"] = false,
                ["PatternFlagged"] = false,
                ["ReportCiphertext"] = new byte[] { 1 },
            };
            foreach (var (name, type, notNull) in columns)
                parameters[name].Value = values.TryGetValue(name, out var v) ? v ?? DBNull.Value : notNull ? Default(type) : DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            if (status == "Closed" && random.Next(3) == 0)
                actions.Add((i, Case.MonthOf(received), Kinds[random.Next(Kinds.Length)]));
            if (random.Next(4) == 0)
                checkIns.Add((i, Case.MonthOf(received), 30, random.Next(12) == 0));
        }
        await using (var action = connection.CreateCommand())
        {
            action.Transaction = tx;
            // Only closed concerns get actions here, so every action stands.
            action.CommandText = "INSERT INTO CaseActions (CaseId, ReceivedMonth, Standing, Kind, Products) VALUES ($c, $m, 1, $k, 'cloud-storage')";
            var c = action.Parameters.Add("$c", SqliteType.Integer);
            var m = action.Parameters.Add("$m", SqliteType.Integer);
            var k = action.Parameters.Add("$k", SqliteType.Text);
            foreach (var (id, month, kind) in actions)
            {
                c.Value = id;
                m.Value = month;
                k.Value = kind;
                await action.ExecuteNonQueryAsync();
            }
        }
        await using (var checkIn = connection.CreateCommand())
        {
            checkIn.Transaction = tx;
            checkIn.CommandText = "INSERT INTO RetaliationCheckIns (CaseId, ReceivedMonth, Day, TreatedWorse, AnsweredAt) VALUES ($c, $m, $d, $w, 0)";
            var c = checkIn.Parameters.Add("$c", SqliteType.Integer);
            var m = checkIn.Parameters.Add("$m", SqliteType.Integer);
            var d = checkIn.Parameters.Add("$d", SqliteType.Integer);
            var w = checkIn.Parameters.Add("$w", SqliteType.Integer);
            foreach (var (id, month, day, worse) in checkIns)
            {
                c.Value = id;
                m.Value = month;
                d.Value = day;
                w.Value = worse;
                await checkIn.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
    }

    private static object Default(string type) => type switch
    {
        "INTEGER" => 0L,
        "REAL" => 0.0,
        "BLOB" => Array.Empty<byte>(),
        _ => "",
    };
}
