using Microsoft.AspNetCore.Components;
using Portal.Jobs.Audit;

namespace Portal.Web.Components.Environments;

/// <summary>An environment's audit trail: who did what and when, oldest first.</summary>
public partial class AuditTrail
{
    /// <summary>The entries, oldest first.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<AuditView> Entries { get; set; } = [];
}
