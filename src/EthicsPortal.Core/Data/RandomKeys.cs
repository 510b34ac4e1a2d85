using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ValueGeneration;

namespace EthicsPortal.Core.Data;

/// <summary>
/// Keys that say nothing about when a row was written (#15 L9). A row an anonymous reporter caused (the case, its
/// events, messages, evidence, the committee's notices) would otherwise take the next number after rows that staff
/// wrote with exact times, and so pin the reporter's moment between them; with random keys the order of rows
/// reveals nothing. Order inside one case comes from its own counter (<see cref="Cases.Case.NextSeq"/>). Existing
/// numbered rows keep their numbers; the database's own identity is simply never used again.
/// </summary>
internal static class RandomKeys
{
    /// <summary>A random positive 63-bit key: a clash is as likely as guessing a receipt.</summary>
    public static PropertyBuilder<long> RandomKey(this PropertyBuilder<long> property)
        => property.ValueGeneratedOnAdd().HasValueGenerator<Int64Generator>();

    /// <summary>A random positive 31-bit key (cases and attachments are numbered in URLs), checked against the table.</summary>
    public static PropertyBuilder<int> RandomKey<TEntity>(this PropertyBuilder<int> property) where TEntity : class
        => property.ValueGeneratedOnAdd().HasValueGenerator<Int32Generator<TEntity>>();

    private sealed class Int64Generator : ValueGenerator<long>
    {
        public override bool GeneratesTemporaryValues => false;
        public override long Next(EntityEntry entry) => RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
    }

    /// <summary>
    /// Draws again while the number is taken, in the table or among the rows this context is about to add. Two instances
    /// drawing the same free number in the same moment would make one save fail and its caller retry or report it; at
    /// a million rows that is about one chance in two thousand million for each pair of saves.
    /// </summary>
    private sealed class Int32Generator<TEntity> : ValueGenerator<int> where TEntity : class
    {
        public override bool GeneratesTemporaryValues => false;

        public override int Next(EntityEntry entry)
        {
            while (true)
            {
                var candidate = RandomNumberGenerator.GetInt32(1, int.MaxValue);
                if (!Taken(entry.Context, candidate))
                    return candidate;
            }
        }

        public override async ValueTask<int> NextAsync(EntityEntry entry, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var candidate = RandomNumberGenerator.GetInt32(1, int.MaxValue);
                if (!TrackedWith(entry.Context, candidate)
                    && !await entry.Context.Set<TEntity>().AnyAsync(e => EF.Property<int>(e, "Id") == candidate, cancellationToken))
                    return candidate;
            }
        }

        private static bool Taken(DbContext context, int candidate)
            => TrackedWith(context, candidate) || context.Set<TEntity>().Any(e => EF.Property<int>(e, "Id") == candidate);

        private static bool TrackedWith(DbContext context, int candidate)
            => context.ChangeTracker.Entries<TEntity>().Any(e => e.Property<int>("Id").CurrentValue == candidate);
    }
}
