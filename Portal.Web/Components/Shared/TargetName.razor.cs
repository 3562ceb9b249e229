using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Infra.Targets;

namespace Portal.Web.Components.Shared;

/// <summary>A deploy target's name, labelled "simulated" when it is the built-in sandbox, so nobody mistakes it for AWS.</summary>
public partial class TargetName
{
    /// <summary>The target's name, as configured under <c>Targets</c>.</summary>
    [Parameter, EditorRequired] public string Name { get; set; } = "";

    [Inject] private IOptions<TargetOptions> Targets { get; set; } = default!;

    private bool IsSimulated => Targets.Value.TryGetValue(Name, out var target) && target.IsSimulated;
}
