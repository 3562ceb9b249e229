using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Data;

namespace Portal.Jobs.Revisions;

internal sealed class RevisionMapping : IEntityTypeConfiguration<Revision>
{
    public void Configure(EntityTypeBuilder<Revision> builder)
    {
        builder.HasIndex(r => new { r.EnvironmentId, r.Number }).IsUnique();
        builder.HasIndex(r => r.Status);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasPerson(r => r.RequestedBy);
        builder.HasPerson(r => r.StatusChangedBy);
        builder.HasPeople(r => r.EditedBy, "Editors");
        builder.HasMany(r => r.Approvals).WithOne(a => a.Revision).HasForeignKey(a => a.RevisionId);
    }
}
