using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Infra.Costs;
using Portal.Infra.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Web.Hosting;
using Portal.Web.Identity;

namespace Portal.Web.Api;

/// <summary>POST /api/environments answers with the new environment and its revision 1.</summary>
public sealed record SubmittedEnvironment(EnvironmentSummary Environment, RevisionView Revision);

/// <summary>
/// The REST API over the same commands and queries the pages use, so the rules and messages are the same.
/// Bearer tokens only (<see cref="PortalPolicies.ApiClient"/>); roles are checked by policy first (403 before the body
/// is read) and again, with ownership and the approval policy, by the commands.
/// </summary>
public static class EnvironmentApi
{
    public static IEndpointRouteBuilder MapEnvironmentApi(this IEndpointRouteBuilder app)
    {
        var environments = app.MapGroup("/api/environments")
            .RequireAuthorization(PortalPolicies.ApiClient)
            .AddEndpointFilter<WorkflowProblemFilter>()
            .WithTags("Environments")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        environments.MapGet("/", ListAsync)
            .WithSummary("All environments (everyone signed in reads everything).");
        environments.MapGet("/{name}", GetAsync)
            .WithSummary("One environment: its revisions (newest first, with approvals) and audit trail.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        environments.MapPost("/", SubmitAsync)
            .RequireAuthorization(PortalPolicies.CanRequest)
            .Accepts<EnvironmentSpec>("application/json")
            .WithSummary("Request a new environment: revision 1 (Create), planned, then awaiting approval.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        environments.MapPut("/{name}", UpdateAsync)
            .RequireAuthorization(PortalPolicies.CanRequest)
            .Accepts<EnvironmentSpec>("application/json")
            .WithSummary("Change an environment's spec: a new Update revision that needs approval (supersedes an open one).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        environments.MapDelete("/{name}", DestroyAsync)
            .RequireAuthorization(PortalPolicies.CanRequest)
            .WithSummary("Destroy an environment's stack: a Destroy revision that needs approval like any change.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        environments.MapGet("/{name}/revisions/{number:int}", GetRevisionAsync)
            .WithSummary("One revision: its spec, status and approvals, its plan (the change set's changes and the guardrail's verdict), " +
                         "its `eta` while deploying, and `predictedDuration` / `actualDuration` after.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        environments.MapPost("/{name}/revisions/{number:int}/cancel", CancelAsync)
            .RequireAuthorization(PortalPolicies.CanRequest)
            .WithSummary("Cancel a revision: one not deploying yet is withdrawn (200); an update that is deploying is " +
                         "cancelled in CloudFormation, which rolls it back (202; the revision ends Failed).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        environments.MapGet("/{name}/events", EventsAsync)
            .WithSummary("The environment's stored stack events after the event id `after` (default 0: from the first), " +
                         "oldest first, at most `limit` (1–500, default 500). Page on with the last id.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        environments.MapGet("/{name}/events/stream", StreamEventsAsync)
            .WithSummary("The stack events as Server-Sent Events: stored ones, then live (`event: stack-event`, `id` the event id; " +
                         "`event: status` when a status changes). Resume with the `Last-Event-ID` header or `after`.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        environments.MapPost("/{name}/revisions/{number:int}/approve", ApproveAsync)
            .RequireAuthorization(PortalPolicies.CanApprove)
            .Accepts<DecisionRequest>(isOptional: true, "application/json")
            .WithSummary("Approve a revision awaiting approval (never one you requested or edited); the comment is optional.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        environments.MapPost("/{name}/revisions/{number:int}/reject", RejectAsync)
            .RequireAuthorization(PortalPolicies.CanApprove)
            .Accepts<DecisionRequest>(isOptional: true, "application/json")
            .WithSummary("Reject a revision awaiting approval; the comment (the reason) is required. Ends the revision.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        environments.MapExpiryApi();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<EnvironmentSummary>>> ListAsync(
        EnvironmentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(cancellationToken));

    private static async Task<Ok<EnvironmentDetail>> GetAsync(
        string name, EnvironmentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetAsync(name, cancellationToken));

    private static async Task<Created<SubmittedEnvironment>> SubmitAsync(
        HttpRequest request, ClaimsPrincipal user, ITargetPolicy targets, EnvironmentCommands commands,
        EnvironmentQueries queries, CancellationToken cancellationToken)
    {
        var (spec, expiresAt) = await RequestBodies.ReadSubmissionAsync(request, targets.TargetNames, cancellationToken);
        var revision = await commands.SubmitAsync(new SubmitEnvironment(spec, expiresAt), user.ToActor(), cancellationToken);
        var environment = await queries.GetAsync(revision.EnvironmentName, cancellationToken);
        return TypedResults.Created(EnvironmentPath(revision.EnvironmentName), new SubmittedEnvironment(environment.Environment, revision));
    }

    private static async Task<Accepted<RevisionView>> UpdateAsync(
        string name, HttpRequest request, ClaimsPrincipal user, ITargetPolicy targets, EnvironmentCommands commands,
        CancellationToken cancellationToken)
    {
        var spec = await RequestBodies.ReadSpecAsync(request, targets.TargetNames, cancellationToken);
        var revision = await commands.UpdateAsync(new SubmitUpdate(name, spec), user.ToActor(), cancellationToken);
        return TypedResults.Accepted(RevisionPath(revision), revision);
    }

    private static async Task<Accepted<RevisionView>> DestroyAsync(
        string name, ClaimsPrincipal user, EnvironmentCommands commands, CancellationToken cancellationToken)
    {
        var revision = await commands.DestroyAsync(new RequestDestroy(name), user.ToActor(), cancellationToken);
        return TypedResults.Accepted(RevisionPath(revision), revision);
    }

    private static async Task<Ok<RevisionView>> GetRevisionAsync(
        string name, int number, EnvironmentQueries queries, DeployEtaQueries eta, CostEstimator costs,
        CancellationToken cancellationToken)
    {
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        var deployed = await queries.GetDeployedRevisionAsync(name, cancellationToken);
        var cost = costs.Compare(deployed?.Spec, revision.Kind == RevisionKind.Destroy ? null : revision.Spec);
        return TypedResults.Ok(revision with
        {
            Eta = await eta.ForAsync(revision, cancellationToken),
            Estimate = CostEstimateResource.From(cost, deployed?.Number),
        });
    }

    private static async Task<Results<Ok<RevisionView>, Accepted<RevisionView>>> CancelAsync(
        string name, int number, ClaimsPrincipal user, EnvironmentQueries queries, RevisionCommands revisions,
        DeploymentCommands deployments, CancellationToken cancellationToken)
    {
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        if (revision.Status != RevisionStatus.Deploying)
            return TypedResults.Ok(await revisions.CancelAsync(new CancelRevision(revision.Id), user.ToActor(), cancellationToken));
        await deployments.CancelAsync(new CancelDeployment(revision.Id), user.ToActor(), cancellationToken);
        return TypedResults.Accepted(RevisionPath(revision), await queries.GetRevisionAsync(name, number, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<StackEventView>>> EventsAsync(
        string name, string? after, string? limit, StackEventQueries events, CancellationToken cancellationToken) =>
        TypedResults.Ok(await events.AfterAsync(name, EventQuery.Cursor("after", after), EventQuery.Limit(limit), cancellationToken));

    private static async Task<IResult> StreamEventsAsync(
        string name, HttpContext http, StackEventQueries events, PerUserLimit<StackEventStream> streams, CancellationToken cancellationToken)
    {
        var after = StackEventStream.ResumeAfter(http.Request);
        await events.StatusAsync(name, cancellationToken); // 404 before the stream starts
        var user = PerUserLimit<StackEventStream>.Key(http.User);
        if (streams.TryOpen(user) is not { } place)
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many event streams",
                detail: $"{http.User.ToActor().DisplayName} has {streams.Max} event streams open, the most allowed ({streams.Setting}); close one first.");
        http.Response.RegisterForDispose(place); // given back when the stream ends, however it ends
        return new StackEventStream(name, after);
    }

    private static async Task<Ok<RevisionView>> ApproveAsync(
        string name, int number, HttpRequest request, ClaimsPrincipal user, EnvironmentQueries queries,
        ApprovalCommands approvals, CancellationToken cancellationToken)
    {
        var decision = await RequestBodies.ReadDecisionAsync(request, cancellationToken);
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        return TypedResults.Ok(await approvals.ApproveAsync(
            new ApproveRevision(revision.Id, decision.Comment), user.ToActor(), cancellationToken));
    }

    private static async Task<Ok<RevisionView>> RejectAsync(
        string name, int number, HttpRequest request, ClaimsPrincipal user, EnvironmentQueries queries,
        ApprovalCommands approvals, CancellationToken cancellationToken)
    {
        var decision = await RequestBodies.ReadDecisionAsync(request, cancellationToken);
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        return TypedResults.Ok(await approvals.RejectAsync(
            new RejectRevision(revision.Id, decision.Comment ?? ""), user.ToActor(), cancellationToken));
    }

    private static string EnvironmentPath(string name) => $"/api/environments/{Uri.EscapeDataString(name)}";

    private static string RevisionPath(RevisionView revision) =>
        $"{EnvironmentPath(revision.EnvironmentName)}/revisions/{revision.Number}";
}
