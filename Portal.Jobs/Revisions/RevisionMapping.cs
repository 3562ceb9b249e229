using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Jobs.Revisions;

internal sealed class RevisionMapping : IEntityTypeConfiguration<Revision>
{
    public void Configure(EntityTypeBuilder<Revision> builder)
    {
        builder.HasIndex(r => new { r.EnvironmentId, r.Number }).IsUnique();
        builder.HasIndex(r => r.Status);
        // The submission limit counts a person's recent revisions.
        builder.HasIndex(r => new { r.RequestedBy, r.SubmittedAt });
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.PrimitiveCollection(r => r.EditedBy).HasField("editedBy");
        builder.HasMany(r => r.Approvals).WithOne(a => a.Revision).HasForeignKey(a => a.RevisionId);
    }
}
