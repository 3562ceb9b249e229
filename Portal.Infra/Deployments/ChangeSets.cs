using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

/// <summary>
/// Plan and execute, as <c>cdk diff</c> and <c>cdk deploy</c> do it with change sets. Callers persist what they
/// learn between the steps; every step is safe to repeat with the same names and tokens.
/// </summary>
public sealed class ChangeSets(StackEventWatcher watcher, IOptions<WatchOptions> options, TimeProvider time)
{
    /// <summary>
    /// Creates the change set (CREATE for a new stack, UPDATE otherwise) and waits until CloudFormation has computed
    /// it. A stack whose first create rolled back cannot be updated: it is deleted first, and the plan says so.
    /// </summary>
    public async Task<ChangeSetPlan> PlanAsync(ICloudFormation cloudFormation, PlanRequest request, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var stack = await DescribeAsync(cloudFormation, request.StackName, cancellationToken);
        if (stack is not null && StackStatus.MustBeDeletedBeforeRetry(stack.StackStatus))
        {
            notes.Add($"Stack {request.StackName} was left in {stack.StackStatus} by a create that failed; it was deleted " +
                      "first, because CloudFormation cannot update it.");
            await DeleteAsync(cloudFormation, stack.StackId, $"{request.ClientToken}-cleanup", request.RoleArn, cancellationToken);
            stack = null;
        }

        var type = StackStatus.ChangeSetTypeFor(stack?.StackStatus);
        CreateChangeSetResponse created;
        try
        {
            created = await cloudFormation.CreateChangeSetAsync(new CreateChangeSetRequest
            {
                StackName = request.StackName,
                ChangeSetName = request.ChangeSetName,
                ChangeSetType = type,
                TemplateBody = request.TemplateBody,
                Capabilities = ["CAPABILITY_IAM"],
                RoleARN = request.RoleArn,
                Tags = request.Tags,
                ClientToken = request.ClientToken,
                Description = request.Description,
            }, cancellationToken);
        }
        catch (CloudFormationException e) when (!e.IsTransient)
        {
            throw new PlanFailedException($"CloudFormation refused the change set: {e.ErrorCode}: {e.ErrorMessage}", e);
        }

        var described = await WaitForChangeSetAsync(cloudFormation, created.Id, cancellationToken);
        if (described.Status == "FAILED" && !described.HasNoChanges)
            throw new PlanFailedException($"The change set failed: {described.StatusReason}");
        // No stack though the portal deployed one, and not the failed create deleted above: someone else deleted it.
        var vanished = request.StackExpected && type == ChangeSetType.Create && notes.Count == 0;
        if (vanished)
            notes.Add(StackDeletedOutsideThePortalNote(described.Changes.Count));
        return new ChangeSetPlan
        {
            ChangeSetId = created.Id,
            StackId = described.StackId ?? created.StackId ?? request.StackName,
            ChangeSetType = type,
            CreationTime = described.CreationTime ?? time.GetUtcNow().UtcDateTime,
            HasNoChanges = described.HasNoChanges || described.Changes.Count == 0,
            Changes = [.. described.Changes.Where(c => c.ResourceChange is not null).Select(c => PlannedChange.From(c.ResourceChange!))],
            Notes = notes,
            StackDeletedOutsideThePortal = vanished,
        };
    }

    /// <summary>What a plan says when the stack the portal deployed is gone: a plain "create" would hide that someone deleted it.</summary>
    public static string StackDeletedOutsideThePortalNote(int resources) =>
        $"The stack was deleted outside the portal; this revision creates it again, {resources} resources.";

    /// <summary>
    /// Executes the change set unless it already is executing or executed (a retry after a crash), so that
    /// ExecuteChangeSet reaches CloudFormation once. Returns when CloudFormation has accepted it.
    /// Throws <see cref="PlanFailedException"/> when it can no longer be executed (OBSOLETE: another change set
    /// ran on the stack since); watching it then would report that other operation as this one.
    /// </summary>
    public async Task ExecuteAsync(ICloudFormation cloudFormation, string changeSetId, string clientRequestToken, CancellationToken cancellationToken)
    {
        var changeSet = await cloudFormation.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = changeSetId }, cancellationToken);
        if (changeSet.ExecutionStatus is "EXECUTE_IN_PROGRESS" or "EXECUTE_COMPLETE" or "EXECUTE_FAILED")
            return;
        if (changeSet.ExecutionStatus != "AVAILABLE")
            throw new PlanFailedException(
                $"Change set {changeSet.ChangeSetName ?? changeSetId} cannot be executed: its execution status is {changeSet.ExecutionStatus}" +
                (changeSet.ExecutionStatus == "OBSOLETE" ? " (the stack changed after it was planned); plan again." : $" ({changeSet.Status}: {changeSet.StatusReason})."));
        await cloudFormation.ExecuteChangeSetAsync(new ExecuteChangeSetRequest
        {
            ChangeSetName = changeSetId,
            ClientRequestToken = clientRequestToken,
        }, cancellationToken);
    }

    /// <summary>
    /// Where the watch of an executed change set starts (<see cref="WatchRequest.Since"/>). A CREATE's stack is new, so all
    /// its events are this create's, REVIEW_IN_PROGRESS included: CreateChangeSet raised it at about the change set's
    /// creation time, in the same millisecond or not, and starting from then would store it only sometimes. An UPDATE
    /// starts at its change set's creation; the stack's earlier events belong to earlier operations.
    /// </summary>
    public static DateTime WatchStart(ChangeSetType type, DateTime changeSetCreationTime) =>
        type == ChangeSetType.Create ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) : changeSetCreationTime;

    /// <summary>The stack, or null when it does not exist (or no longer does).</summary>
    public static async Task<Stack?> DescribeAsync(ICloudFormation cloudFormation, string stackName, CancellationToken cancellationToken)
    {
        try
        {
            var stacks = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackName }, cancellationToken);
            return stacks.Stacks.FirstOrDefault(s => s.StackStatus != StackStatus.DeleteComplete);
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }

    private async Task DeleteAsync(ICloudFormation cloudFormation, string stackId, string token, string? roleArn, CancellationToken cancellationToken)
    {
        var since = await StackEventWatcher.AfterNewestEventAsync(cloudFormation, stackId, cancellationToken);
        await cloudFormation.DeleteStackAsync(new DeleteStackRequest { StackName = stackId, ClientRequestToken = token, RoleARN = roleArn }, cancellationToken);
        await foreach (var update in watcher.WatchAsync(cloudFormation, new WatchRequest { StackName = stackId, Since = since }, cancellationToken))
            if (update.Outcome is { Succeeded: false } failed)
                throw new PlanFailedException($"Deleting the failed stack first did not work: {failed.RootCause?.ToString() ?? failed.StackStatus}");
    }

    private async Task<DescribeChangeSetResponse> WaitForChangeSetAsync(ICloudFormation cloudFormation, string changeSetId, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Min(250, options.Value.ActiveInterval.TotalMilliseconds));
        while (true)
        {
            var changeSet = await cloudFormation.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = changeSetId }, cancellationToken);
            if (changeSet.Status is "CREATE_COMPLETE" or "FAILED" or "DELETE_COMPLETE")
                return changeSet;
            await Task.Delay(interval, time, cancellationToken);
            // Creating a change set takes seconds to a minute; poll fast at first, then at the watcher's pace.
            interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, options.Value.ActiveInterval.TotalMilliseconds));
        }
    }
}
