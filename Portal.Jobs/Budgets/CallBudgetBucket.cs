using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Jobs.Budgets;

/// <summary>One target's token bucket, shared by every portal process on the database (<see cref="PostgresCallBudgetStore"/>).</summary>
public sealed class CallBudgetBucket
{
    private CallBudgetBucket()
    {
    }

    public CallBudgetBucket(string target, double tokens, double refilledAt)
    {
        Target = target;
        Tokens = tokens;
        RefilledAt = refilledAt;
    }

    /// <summary>The target's name, lower-cased (target names match case-insensitively).</summary>
    public string Target { get; private set; } = "";

    public double Tokens { get; set; }

    /// <summary>When <see cref="Tokens"/> was last brought up to date, in seconds since the Unix epoch.</summary>
    public double RefilledAt { get; set; }
}

internal sealed class CallBudgetBucketMapping : IEntityTypeConfiguration<CallBudgetBucket>
{
    public void Configure(EntityTypeBuilder<CallBudgetBucket> builder)
    {
        builder.ToTable("CallBudgets");
        builder.HasKey(b => b.Target);
        builder.Property(b => b.Target).HasMaxLength(128);
    }
}
