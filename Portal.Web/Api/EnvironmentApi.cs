using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Infra.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Web.Hosting;
using Portal.Web.Identity;

namespace Portal.Web.Api;

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
        environments.MapGet("/{name}/health", HealthAsync)
            .WithSummary("Is it healthy: per service, tasks running / desired, targets healthy / total, ECS's newest events, the last " +
                         "stopped tasks and log lines. A deployed environment is read from AWS (at most every few seconds); a deploying " +
                         "one shows its deploy's reading; `state` StackMissing when its stack was deleted outside the portal.")
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    private static async Task<Ok<IReadOnlyList<EnvironmentResource>>> ListAsync(
        EnvironmentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<EnvironmentResource>>([.. (await queries.ListAsync(cancellationToken)).Select(e => e.ToResource())]);

    private static async Task<Ok<EnvironmentDetailResource>> GetAsync(
        string name, EnvironmentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok((await queries.GetAsync(name, cancellationToken)).ToResource());

    private static async Task<Created<SubmittedEnvironment>> SubmitAsync(
        HttpRequest request, ClaimsPrincipal user, ITargetPolicy targets, EnvironmentCommands commands,
        EnvironmentQueries queries, CancellationToken cancellationToken)
    {
        var (spec, expiresAt) = await RequestBodies.ReadSubmissionAsync(request, targets.TargetNames, cancellationToken);
        var revision = await commands.SubmitAsync(new SubmitEnvironment(spec, expiresAt), user.ToActor(), cancellationToken);
        var environment = await queries.GetAsync(revision.EnvironmentName, cancellationToken);
        return TypedResults.Created(EnvironmentPath(revision.EnvironmentName),
            new SubmittedEnvironment(environment.Environment.ToResource(), revision.ToResource()));
    }

    private static async Task<Accepted<RevisionResource>> UpdateAsync(
        string name, HttpRequest request, ClaimsPrincipal user, ITargetPolicy targets, EnvironmentCommands commands,
        CancellationToken cancellationToken)
    {
        var spec = await RequestBodies.ReadSpecAsync(request, targets.TargetNames, cancellationToken);
        var revision = await commands.UpdateAsync(new SubmitUpdate(name, spec), user.ToActor(), cancellationToken);
        return TypedResults.Accepted(RevisionPath(revision), revision.ToResource());
    }

    private static async Task<Accepted<RevisionResource>> DestroyAsync(
        string name, ClaimsPrincipal user, EnvironmentCommands commands, CancellationToken cancellationToken)
    {
        var revision = await commands.DestroyAsync(new RequestDestroy(name), user.ToActor(), cancellationToken);
        return TypedResults.Accepted(RevisionPath(revision), revision.ToResource());
    }

    private static async Task<Ok<EnvironmentHealthResource>> HealthAsync(
        string name, EnvironmentHealthQueries health, CancellationToken cancellationToken) =>
        TypedResults.Ok((await health.ReadAsync(name, cancellationToken)).ToResource());

    private static async Task<Ok<RevisionResource>> GetRevisionAsync(
        string name, int number, RevisionQueries revisions, CancellationToken cancellationToken) =>
        TypedResults.Ok((await revisions.GetAsync(name, number, cancellationToken)).ToResource());

    /// <summary>200 with the withdrawn revision; 202 while CloudFormation rolls the update back.</summary>
    private static async Task<Results<Ok<RevisionResource>, Accepted<RevisionResource>>> CancelAsync(
        string name, int number, ClaimsPrincipal user, EnvironmentQueries queries, DeploymentCommands commands,
        CancellationToken cancellationToken)
    {
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        var outcome = await commands.CancelAsync(new CancelRevision(revision.Id), user.ToActor(), cancellationToken);
        return outcome.Effect == CancelEffect.Withdraw
            ? TypedResults.Ok(outcome.Revision.ToResource())
            : TypedResults.Accepted(RevisionPath(outcome.Revision), outcome.Revision.ToResource());
    }

    private static async Task<Ok<IReadOnlyList<StackEventResource>>> EventsAsync(
        string name, string? after, string? limit, StackEventQueries events, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<StackEventResource>>(
            [.. (await events.AfterAsync(name, EventQuery.Cursor("after", after), EventQuery.Limit(limit), cancellationToken)).Select(e => e.ToResource())]);

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

    private static async Task<Ok<RevisionResource>> ApproveAsync(
        string name, int number, HttpRequest request, ClaimsPrincipal user, EnvironmentQueries queries,
        ApprovalCommands approvals, CancellationToken cancellationToken)
    {
        var decision = await RequestBodies.ReadDecisionAsync(request, cancellationToken);
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        return TypedResults.Ok((await approvals.ApproveAsync(
            new ApproveRevision(revision.Id, decision.Comment), user.ToActor(), cancellationToken)).ToResource());
    }

    private static async Task<Ok<RevisionResource>> RejectAsync(
        string name, int number, HttpRequest request, ClaimsPrincipal user, EnvironmentQueries queries,
        ApprovalCommands approvals, CancellationToken cancellationToken)
    {
        var decision = await RequestBodies.ReadDecisionAsync(request, cancellationToken);
        var revision = await queries.GetRevisionAsync(name, number, cancellationToken);
        return TypedResults.Ok((await approvals.RejectAsync(
            new RejectRevision(revision.Id, decision.Comment ?? ""), user.ToActor(), cancellationToken)).ToResource());
    }

    private static string EnvironmentPath(string name) => $"/api/environments/{Uri.EscapeDataString(name)}";

    private static string RevisionPath(RevisionView revision) =>
        $"{EnvironmentPath(revision.EnvironmentName)}/revisions/{revision.Number}";
}
