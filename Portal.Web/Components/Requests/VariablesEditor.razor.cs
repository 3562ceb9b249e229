using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Requests;

/// <summary>A tier's environment variables: rows of name and value, added and removed freely.</summary>
public partial class VariablesEditor
{
    /// <summary>The tier these fields belong to ("Frontend", "Backend"): each field's name says it, so a screen reader tells the two apart.</summary>
    [Parameter, EditorRequired] public string Tier { get; set; } = "";

    /// <summary>The tier whose <see cref="ServiceForm.Environment"/> rows are edited in place.</summary>
    [Parameter, EditorRequired] public ServiceForm Service { get; set; } = default!;

    /// <summary>Errors to show on the rows' name fields.</summary>
    [Parameter, EditorRequired] public FormErrors Errors { get; set; } = default!;

    /// <summary>Raised after every edit with the field paths the user touched.</summary>
    [Parameter] public EventCallback<string[]> Changed { get; set; }

    private Task ChangeAsync(VariableRow row, string name, string value)
    {
        row.Name = name;
        row.Value = value;
        return Changed.InvokeAsync([Service.VariablePath(row)]);
    }

    private Task AddAsync()
    {
        Service.Environment.Add(new VariableRow());
        return Changed.InvokeAsync([]);
    }

    private Task RemoveAsync(VariableRow row)
    {
        Service.Environment.Remove(row);
        return Changed.InvokeAsync([$"{Service.Path}.environment"]);
    }
}
