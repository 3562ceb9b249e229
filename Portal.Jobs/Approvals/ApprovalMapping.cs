using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Jobs.Data;

namespace Portal.Jobs.Approvals;

internal sealed class ApprovalMapping : IEntityTypeConfiguration<Approval>
{
    public void Configure(EntityTypeBuilder<Approval> builder) => builder.HasPerson(a => a.Approver);
}
