using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Data;

namespace Portal.Jobs.Notifications;

internal sealed class NotificationMapping : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        // The dispatcher looks for the ones not queued yet.
        builder.HasIndex(n => n.QueuedAt);
        builder.HasPerson(n => n.RequestedBy);
    }
}
