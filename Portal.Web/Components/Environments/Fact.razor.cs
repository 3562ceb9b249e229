using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Environments;

/// <summary>A small labelled value ("Owner: alice") for an environment's facts.</summary>
public partial class Fact
{
    /// <summary>What the value is.</summary>
    [Parameter, EditorRequired] public string Label { get; set; } = "";

    /// <summary>The value.</summary>
    [Parameter] public RenderFragment? ChildContent { get; set; }
}
