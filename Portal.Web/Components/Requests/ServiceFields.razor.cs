using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Requests;

/// <summary>Every field of one tier (image, ports, size, health check, variables, secrets), each showing its own errors.</summary>
public partial class ServiceFields
{
    /// <summary>The tier being edited in place.</summary>
    [Parameter, EditorRequired] public ServiceForm Service { get; set; } = default!;

    /// <summary>The form's errors; those under this tier that no field shows are listed at its top.</summary>
    [Parameter, EditorRequired] public FormErrors Errors { get; set; } = default!;

    /// <summary>Every path some field of the whole form displays (<see cref="SpecForm.FieldPaths"/>).</summary>
    [Parameter, EditorRequired] public IReadOnlySet<string> Placed { get; set; } = default!;

    /// <summary>The section heading, e.g. "Frontend".</summary>
    [Parameter, EditorRequired] public string Title { get; set; } = "";

    /// <summary>One line under the heading saying what the tier is.</summary>
    [Parameter] public string? Description { get; set; }

    /// <summary>Raised after every edit with the field paths the user touched.</summary>
    [Parameter] public EventCallback<string[]> Changed { get; set; }

    /// <summary>Applies an edit, then reports the touched fields (relative to the tier) as full paths.</summary>
    private Task SetAsync(Action set, params string[] fields)
    {
        set();
        return Changed.InvokeAsync([.. fields.Select(f => $"{Service.Path}.{f}")]);
    }
}
