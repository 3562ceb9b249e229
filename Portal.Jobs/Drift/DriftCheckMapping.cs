using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;

namespace Portal.Jobs.Drift;

internal sealed class DriftCheckMapping : IEntityTypeConfiguration<DriftCheck>
{
    public void Configure(EntityTypeBuilder<DriftCheck> builder)
    {
        builder.Ignore(c => c.Resources);
        builder.HasPerson(c => c.RequestedBy).Property(p => p.Name).HasMaxLength(200);
        builder.Property(c => c.DetectionId).HasMaxLength(100);
        // The environment page's query: an environment's newest check.
        builder.HasIndex(c => new { c.EnvironmentId, c.Id });
        builder.HasOne<ManagedEnvironment>().WithMany().HasForeignKey(c => c.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
