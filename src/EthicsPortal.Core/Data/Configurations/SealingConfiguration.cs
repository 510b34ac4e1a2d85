using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EthicsPortal.Core.Data.Configurations;

internal sealed class MemberKeyConfiguration : IEntityTypeConfiguration<MemberKey>
{
    public void Configure(EntityTypeBuilder<MemberKey> b)
    {
        b.ToTable("MemberKeys");
        b.HasKey(k => k.UserId);
        b.Property(k => k.UserId).HasMaxLength(450);
        b.Property(k => k.PublicKey).IsRequired();
        b.Property(k => k.ConfirmedBy).HasMaxLength(500);
        b.HasOne<EthicsPortal.Core.Security.StaffUser>().WithOne().HasForeignKey<MemberKey>(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PasskeyWrapConfiguration : IEntityTypeConfiguration<PasskeyWrap>
{
    public void Configure(EntityTypeBuilder<PasskeyWrap> b)
    {
        b.ToTable("PasskeyWraps");
        b.HasKey(w => new { w.UserId, w.CredentialId });
        b.Property(w => w.UserId).HasMaxLength(450);
        b.Property(w => w.CredentialId).HasMaxLength(1024);
        b.Property(w => w.Wrapped).IsRequired();
        b.HasOne<MemberKey>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseKeyConfiguration : IEntityTypeConfiguration<CaseKey>
{
    public void Configure(EntityTypeBuilder<CaseKey> b)
    {
        b.ToTable("CaseKeys");
        b.HasKey(k => new { k.CaseId, k.Part, k.HolderId });
        b.Property(k => k.HolderId).HasMaxLength(450);
        b.Property(k => k.Part).HasConversion<int>();
        b.Property(k => k.Sealed).IsRequired();
        b.Property(k => k.GrantedBy).HasMaxLength(500).IsRequired();
        b.HasOne<Case>().WithMany().HasForeignKey(k => k.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(k => k.HolderId);
    }
}

internal sealed class QueueKeyConfiguration : IEntityTypeConfiguration<QueueKey>
{
    public void Configure(EntityTypeBuilder<QueueKey> b)
    {
        b.ToTable("QueueKeys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).HasMaxLength(64).ValueGeneratedNever();
        b.Property(k => k.PublicKey).IsRequired();
        b.HasOne<Queue>().WithMany().HasForeignKey(k => k.QueueId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(k => k.Copies).WithOne().HasForeignKey(c => c.QueueKeyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(k => new { k.QueueId, k.Retired });
    }
}

internal sealed class QueueKeyCopyConfiguration : IEntityTypeConfiguration<QueueKeyCopy>
{
    public void Configure(EntityTypeBuilder<QueueKeyCopy> b)
    {
        b.ToTable("QueueKeyCopies");
        b.HasKey(c => new { c.QueueKeyId, c.UserId });
        b.Property(c => c.QueueKeyId).HasMaxLength(64);
        b.Property(c => c.UserId).HasMaxLength(450);
        b.Property(c => c.Sealed).IsRequired();
        b.HasOne<MemberKey>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.UserId);
    }
}

internal sealed class IdentityRequestConfiguration : IEntityTypeConfiguration<IdentityRequest>
{
    public void Configure(EntityTypeBuilder<IdentityRequest> b)
    {
        b.ToTable("IdentityRequests");
        b.HasKey(r => r.Id);
        b.Property(r => r.RequesterId).HasMaxLength(450).IsRequired();
        b.Property(r => r.DecidedBy).HasMaxLength(450);
        b.Property(r => r.ReasonCiphertext).IsRequired();
        b.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.CaseId, r.RequesterId });
        b.HasIndex(r => r.Approved);
    }
}

internal sealed class RecoveryKeyConfiguration : IEntityTypeConfiguration<RecoveryKey>
{
    public void Configure(EntityTypeBuilder<RecoveryKey> b)
    {
        b.ToTable("RecoveryKeys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.PublicKey).IsRequired();
        b.Property(k => k.CreatedBy).HasMaxLength(500).IsRequired();
    }
}

internal sealed class RecoveryCustodianConfiguration : IEntityTypeConfiguration<RecoveryCustodian>
{
    public void Configure(EntityTypeBuilder<RecoveryCustodian> b)
    {
        b.ToTable("RecoveryCustodians");
        b.HasKey(c => c.Position);
        b.Property(c => c.Position).ValueGeneratedNever();
        b.Property(c => c.Name).HasMaxLength(RecoveryService.NameMaxLength).IsRequired();
        b.Property(c => c.PublicKey).IsRequired();
    }
}

internal sealed class RecoveryShareConfiguration : IEntityTypeConfiguration<RecoveryShare>
{
    public void Configure(EntityTypeBuilder<RecoveryShare> b)
    {
        b.ToTable("RecoveryShares");
        b.HasKey(s => s.Custodians);
        b.Property(s => s.Custodians).HasMaxLength(64);
        b.Property(s => s.Sealed).IsRequired();
    }
}
