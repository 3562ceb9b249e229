using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Requests;

/// <summary>
/// A tier's secrets: each row names the variable, the Secrets Manager ARN and optionally a JSON key and a version.
/// Only ARNs are ever entered or stored, never a secret's value.
/// </summary>
public partial class SecretsEditor
{
    /// <summary>The tier these fields belong to ("Frontend", "Backend"): each field's name says it, so a screen reader tells the two apart.</summary>
    [Parameter, EditorRequired] public string Tier { get; set; } = "";

    /// <summary>The tier whose <see cref="ServiceForm.Secrets"/> rows are edited in place.</summary>
    [Parameter, EditorRequired] public ServiceForm Service { get; set; } = default!;

    /// <summary>Errors to show on the rows' fields.</summary>
    [Parameter, EditorRequired] public FormErrors Errors { get; set; } = default!;

    /// <summary>Raised after every edit with the field paths the user touched.</summary>
    [Parameter] public EventCallback<string[]> Changed { get; set; }

    private Task ChangeAsync(int index, string path, Action set)
    {
        set();
        return Changed.InvokeAsync([path]);
    }

    private Task AddAsync()
    {
        Service.Secrets.Add(new SecretRow());
        return Changed.InvokeAsync([]);
    }

    private Task RemoveAsync(int index)
    {
        Service.Secrets.RemoveAt(index);
        return Changed.InvokeAsync([$"{Service.Path}.secrets"]);
    }
}
