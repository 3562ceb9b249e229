using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Preferences;

internal sealed class ThemePreferenceMapping : IEntityTypeConfiguration<ThemePreference>
{
    public void Configure(EntityTypeBuilder<ThemePreference> builder)
    {
        builder.HasKey(p => p.Person);
        // issuer#subject: an issuer URL and a subject are each bounded by the sign-in (PersonId), 2,048 characters in all here.
        builder.Property(p => p.Person).HasConversion(id => id.ToString(), key => PersonId.Parse(key)).HasMaxLength(2048);
        builder.Property(p => p.Theme).HasConversion<string>().HasMaxLength(16);
    }
}
