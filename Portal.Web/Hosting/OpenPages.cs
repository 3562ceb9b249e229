using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>Configuration section <c>Circuits</c>.</summary>
public sealed class OpenPagesOptions
{
    public const string Section = "Circuits";

    /// <summary>
    /// Live pages (Blazor circuits: a connection, the page's state and its live subscriptions) one user may hold on one web
    /// instance. A page that closed without saying so still counts until Blazor drops its circuit (3 minutes).
    /// </summary>
    public int MaxPerUser { get; set; } = 20;
}

/// <summary>
/// Caps each user's live pages. A page requested while the user is at the cap renders without a circuit and says why
/// (<see cref="PageAdmission"/>); a circuit started anyway (two pages at once, or a client that skips the page) is ended
/// here before it renders anything.
/// </summary>
public static class OpenPages
{
    public static IServiceCollection AddOpenPageLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpenPagesOptions>(configuration.GetSection(OpenPagesOptions.Section));
        services.AddSingleton(sp => new PerUserLimit<OpenPagesHandler>(
            sp.GetRequiredService<IOptions<OpenPagesOptions>>().Value.MaxPerUser, $"{OpenPagesOptions.Section}:{nameof(OpenPagesOptions.MaxPerUser)}"));
        services.AddScoped<PageAdmission>();
        services.AddScoped<CircuitHandler, OpenPagesHandler>();
        return services;
    }
}

/// <summary>Whether the page being rendered gets a circuit: not when its user already holds as many as allowed.</summary>
public sealed class PageAdmission(PerUserLimit<OpenPagesHandler> limit)
{
    /// <summary>Set by <see cref="Check"/>: this page renders statically, with a notice saying why.</summary>
    public bool AtCap { get; private set; }

    public int Max => limit.Max;

    public void Check(ClaimsPrincipal user) => AtCap = limit.IsFull(PerUserLimit<OpenPagesHandler>.Key(user));
}

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
