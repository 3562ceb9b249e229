using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Jobs.Drift;
using Portal.Jobs.Workflow;
using Portal.Web.Identity;

namespace Portal.Web.Api;

/// <summary>Drift detection of an environment's stack: start a check, read the latest result.</summary>
public static class DriftApi
{
    public static IEndpointRouteBuilder MapDriftApi(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/api/environments/{name}/drift")
            .RequireAuthorization(PortalPolicies.ApiClient)
            .AddEndpointFilter<WorkflowProblemFilter>()
            .WithTags("Drift")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        drift.MapPost("/", StartAsync)
            // Every role: detection only reads the stack (see DriftCommands); the command checks the same.
            .RequireAuthorization(p => p.RequireRole(PortalRoles.Engineer, PortalRoles.Approver, PortalRoles.Admin))
            .WithSummary("Start a drift check of the environment's stack (or answer the one running): 202, Location of the latest result. " +
                         "409 while a deploy is queued or running, or when nothing is deployed.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        drift.MapGet("/", LatestAsync)
            .WithSummary("The latest drift check: status (Running, InSync, Drifted, Failed, Skipped), when, the drifted count, the reason, " +
                         "and each drifted resource with its property differences; 204 when none ran yet.");
        return app;
    }

    private static async Task<Accepted<DriftCheckResource>> StartAsync(
        string name, ClaimsPrincipal user, DriftCommands commands, CancellationToken cancellationToken)
    {
        var check = await commands.StartAsync(name, user.ToActor(), cancellationToken);
        return TypedResults.Accepted($"/api/environments/{Uri.EscapeDataString(name)}/drift", check.ToResource());
    }

    private static async Task<Results<Ok<DriftCheckResource>, NoContent>> LatestAsync(
        string name, DriftQueries queries, CancellationToken cancellationToken) =>
        await queries.LatestAsync(name, cancellationToken) is { } check ? TypedResults.Ok(check.ToResource()) : TypedResults.NoContent();
}
