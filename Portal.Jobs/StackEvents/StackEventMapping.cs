using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Revisions;
using Portal.Jobs.Environments;

namespace Portal.Jobs.StackEvents;

internal sealed class StackEventMapping : IEntityTypeConfiguration<StackEvent>
{
    public void Configure(EntityTypeBuilder<StackEvent> builder)
    {
        // The catch-up query: an environment's events after a given id.
        builder.HasIndex(e => new { e.EnvironmentId, e.Id });
        builder.HasIndex(e => new { e.EnvironmentId, e.EventId }).IsUnique();
        builder.HasOne<ManagedEnvironment>().WithMany().HasForeignKey(e => e.EnvironmentId);
        builder.HasOne<Revision>().WithMany().HasForeignKey(e => e.RevisionId);
    }
}
