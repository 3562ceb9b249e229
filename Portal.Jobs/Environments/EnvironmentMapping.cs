using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Data;

namespace Portal.Jobs.Environments;

internal sealed class EnvironmentMapping : IEntityTypeConfiguration<ManagedEnvironment>
{
    public void Configure(EntityTypeBuilder<ManagedEnvironment> builder)
    {
        builder.HasIndex(e => e.Name).IsUnique();
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasPerson(e => e.CreatedBy);
        builder.HasPerson(e => e.StatusChangedBy);
        builder.Property(e => e.Outputs)
            .HasConversion(
                outputs => JsonSerializer.Serialize(outputs, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default)!,
                new ValueComparer<IReadOnlyDictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    outputs => outputs.Aggregate(0, (hash, kv) => hash ^ HashCode.Combine(kv.Key, kv.Value)),
                    outputs => new Dictionary<string, string>(outputs)));
        builder.HasMany(e => e.Revisions).WithOne(r => r.Environment).HasForeignKey(r => r.EnvironmentId);
    }
}
