using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Revisions;

namespace Portal.Jobs.Cleanup;

internal sealed class StackCleanupMapping : IEntityTypeConfiguration<StackCleanup>
{
    public void Configure(EntityTypeBuilder<StackCleanup> builder)
    {
        // The sweep looks for the ones not done; a plan for the deletions of its environment still under way.
        builder.HasIndex(c => c.DoneAt);
        builder.HasIndex(c => c.EnvironmentId);
        builder.HasOne<Revision>().WithMany().HasForeignKey(c => c.RevisionId);
    }
}
