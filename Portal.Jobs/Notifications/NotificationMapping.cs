using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Jobs.Notifications;

internal sealed class NotificationMapping : IEntityTypeConfiguration<Notification>
{
    // The dispatcher looks for the ones not queued yet.
    public void Configure(EntityTypeBuilder<Notification> builder) => builder.HasIndex(n => n.QueuedAt);
}
