using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Jobs.Expiry;
using Portal.Web.Identity;

namespace Portal.Web.Api;

/// <summary>The body of <c>PUT /api/environments/{name}/expiry</c>.</summary>
public sealed record ExpiryRequest(DateTimeOffset ExpiresAt);

/// <summary>An environment's expiry: read it, set or extend it (owner or admin; in the future, within the target's MaxDays).</summary>
public static class ExpiryApi
{
    public static RouteGroupBuilder MapExpiryApi(this RouteGroupBuilder environments)
    {
        environments.MapGet("/{name}/expiry", GetAsync)
            .WithSummary("When the environment expires (null: never), when expiry requested its destroy, and the target's rules.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        environments.MapPut("/{name}/expiry", SetAsync)
            .RequireAuthorization(PortalPolicies.CanRequest)
            .Accepts<ExpiryRequest>("application/json")
            .WithSummary("Set or extend the expiry (owner or admin): in the future and at most the target's Expiry:MaxDays ahead. " +
                         "A destroy that expiry requested and that is not deploying yet is withdrawn.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return environments;
    }

    private static async Task<Ok<ExpiryResource>> GetAsync(string name, ExpiryQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok((await queries.GetAsync(name, cancellationToken)).ToResource());

    private static async Task<Ok<ExpiryResource>> SetAsync(
        string name, HttpRequest request, ClaimsPrincipal user, ExpiryCommands commands, CancellationToken cancellationToken)
    {
        var expiresAt = await RequestBodies.ReadExpiryAsync(request, cancellationToken);
        return TypedResults.Ok((await commands.SetAsync(new SetExpiry(name, expiresAt), user.ToActor(), cancellationToken)).ToResource());
    }
}
