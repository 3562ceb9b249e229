using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Portal.Web.Hosting;

/// <summary>Holds one of its user's places for as long as its circuit lives (one handler per circuit).</summary>
public sealed class OpenPagesHandler(
    AuthenticationStateProvider authentication, PerUserLimit<OpenPagesHandler> limit, ILogger<OpenPagesHandler> logger)
    : CircuitHandler, IDisposable
{
    private IDisposable? _place;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = PerUserLimit<OpenPagesHandler>.Key((await authentication.GetAuthenticationStateAsync()).User);
        _place = limit.TryOpen(user);
        if (_place is not null) return;
        logger.LogWarning("Refused a live page to {User}: {Max} open already ({Setting})", user, limit.Max, limit.Setting);
        // Blazor ends a circuit whose handler fails to open it.
        throw new InvalidOperationException($"{user} has {limit.Max} live pages open, the most allowed ({limit.Setting}).");
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Also when the circuit's scope ends, whichever way the circuit went.</summary>
    public void Dispose() => _place?.Dispose();
}
