using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portal.Sandbox;

internal sealed record CreateChangeSetInput(
    string StackName, string ChangeSetName, string ChangeSetType, string? TemplateBody, bool UsePreviousTemplate,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Capabilities, string? RoleArn,
    IReadOnlyList<StackTag> Tags, string? ClientToken, string? Description);

internal sealed record StackView(
    string Name, string Id, string Status, string? StatusReason, DateTimeOffset CreationTime,
    DateTimeOffset? LastUpdatedTime, DateTimeOffset? DeletionTime, string? ChangeSetId, StackConfiguration Configuration,
    SandboxDriftDetection? LastDriftCheck = null);

internal sealed record ChangeSetView(
    SandboxChangeSet ChangeSet, string Status, string ExecutionStatus, string? StatusReason,
    IReadOnlyList<ResourceChange> Changes, string? NextToken);

internal sealed record StackEventsPage(IReadOnlyList<SandboxStackEvent> Events, string? NextToken);

/// <summary>
/// The simulated CloudFormation service: stacks, change sets and the operations running on them.
/// All state is guarded by one lock (held only for short, non-blocking work); operations run as
/// background tasks that take the lock for each step.
/// </summary>
internal sealed partial class CloudFormationSimulator : IDisposable
{
    private static readonly HashSet<string> UpdatableStatuses =
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    private readonly Dictionary<string, SandboxStack> _stacksByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxStack> _stacksById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxChangeSet> _changeSetsById = new(StringComparer.Ordinal);
    private readonly Queue<SandboxStack> _deletedStacks = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ILogger _logger;

    public CloudFormationSimulator(SandboxOptions options, TimeProvider time, ILogger logger)
    {
        Options = options;
        _logger = logger;
        Time = time;
        Fakes = new FakeResourceFactory(options.Region, options.AccountId);
        if (string.IsNullOrEmpty(options.DataFolder))
            return;
        var store = new SandboxStore(options.DataFolder, logger);
        try
        {
            Load(store);
        }
        catch
        {
            _shutdown.Cancel();
            store.Dispose();
            throw;
        }
    }

    public object Gate { get; } = new();
    public SandboxOptions Options { get; }
    public TimeProvider Time { get; }
    public FakeResourceFactory Fakes { get; private set; }
    public CancellationToken ShutdownToken => _shutdown.Token;

    public (string Id, string StackId) CreateChangeSet(CreateChangeSetInput input)
    {
        if (input.ChangeSetType is not ("CREATE" or "UPDATE"))
            throw CloudFormationError.Validation(input.ChangeSetType == "IMPORT"
                ? "ChangeSetType IMPORT is not supported by the sandbox."
                : $"1 validation error detected: Value '{input.ChangeSetType}' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [UPDATE, IMPORT, CREATE]");
        if (input.TemplateBody is null && !input.UsePreviousTemplate)
            throw CloudFormationError.Validation("Either Template URL or Template Body must be specified.");
        var template = input.TemplateBody is null ? null : SandboxTemplate.Parse(input.TemplateBody);

        lock (Gate)
        {
            var stack = FindActiveStack(input.StackName);
            if (stack?.ChangeSets.TryGetValue(input.ChangeSetName, out var existing) == true)
            {
                if (input.ClientToken is not null && existing.ClientToken == input.ClientToken)
                    return (existing.Id, stack.Id);
                throw new CloudFormationError(HttpStatusCode.BadRequest, "AlreadyExistsException", $"ChangeSet {input.ChangeSetName} already exists");
            }

            if (input.ChangeSetType == "CREATE")
            {
                if (stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
                    throw CloudFormationError.Validation($"Stack [{input.StackName}] already exists and cannot be created again with the changeSet [{input.ChangeSetName}].");
                if (input.UsePreviousTemplate)
                    throw CloudFormationError.Validation("UsePreviousTemplate cannot be used when creating a stack.");
            }
            else if (stack is null || stack.Status == "REVIEW_IN_PROGRESS")
                throw CloudFormationError.Validation($"Stack [{input.StackName}] does not exist");
            else if (!UpdatableStatuses.Contains(stack.Status))
                throw CloudFormationError.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");

            var identity = stack?.Identity ?? new StackIdentity(
                QueryRequest.CheckName(input.StackName, "stackName"),
                Arn($"stack/{input.StackName}/{Guid.NewGuid()}"), Options.Region, Options.AccountId);
            var current = stack?.Configuration.Blueprint;
            var blueprint = StackBlueprint.Instantiate(template ?? current!.Template, identity, input.Parameters);
            CheckCapabilities(blueprint, input.Capabilities);

            var deployed = stack?.Resources ?? new Dictionary<string, DeployedResource>();
            var changes = ChangeSetPlanner.Plan(current, deployed, blueprint);
            var changesNothing = changes.Count == 0 && current is not null && current.SameAs(blueprint) &&
                stack!.Configuration.Tags.SequenceEqual(input.Tags);

            if (stack is null)
            {
                if (_stacksByName.Count >= Options.MaxStacks)
                    throw CloudFormationError.LimitExceeded(
                        $"Limit for stacks has been exceeded: the sandbox holds at most {Options.MaxStacks} stacks ({SandboxOptions.SectionName}:{nameof(SandboxOptions.MaxStacks)}); delete one first.");
                stack = new SandboxStack(identity, Time.GetUtcNow());
                _stacksByName[stack.Name] = stack;
                _stacksById[stack.Id] = stack;
                Emit(stack, stack.Name, stack.Id, SandboxStack.ResourceType, "REVIEW_IN_PROGRESS", "User Initiated", null);
            }
            else
                MakeRoomForChangeSet(stack);
            var changeSet = new SandboxChangeSet
            {
                Id = Arn($"changeSet/{input.ChangeSetName}/{Guid.NewGuid()}"),
                Name = input.ChangeSetName,
                Type = input.ChangeSetType,
                Stack = stack,
                CreationTime = Time.GetUtcNow(),
                Configuration = new StackConfiguration(blueprint, [], input.Tags, input.Capabilities, input.RoleArn),
                Changes = changes,
                ChangesNothing = changesNothing,
                Description = input.Description,
                ClientToken = input.ClientToken,
            };
            stack.ChangeSets[changeSet.Name] = changeSet;
            _changeSetsById[changeSet.Id] = changeSet;
            Changed(stack);
            return (changeSet.Id, stack.Id);
        }
    }

    private static void CheckCapabilities(StackBlueprint blueprint, IReadOnlyList<string> capabilities)
    {
        var required = ResourceCatalog.RequiredCapability(blueprint.Resources);
        if (required is null || capabilities.Contains(required) || capabilities.Contains("CAPABILITY_NAMED_IAM"))
            return;
        throw new CloudFormationError(HttpStatusCode.BadRequest, "InsufficientCapabilitiesException", $"Requires capabilities : [{required}]");
    }

    public ChangeSetView DescribeChangeSet(string changeSetName, string? stackName, string? nextToken)
    {
        lock (Gate)
        {
            var changeSet = FindChangeSet(changeSetName, stackName);
            var (status, executionStatus, reason) = changeSet.StateAt(Time.GetUtcNow(), Options.TimeScale);
            if (status != "CREATE_COMPLETE")
                return new ChangeSetView(changeSet, status, executionStatus, reason, [], null);
            var start = nextToken is null ? 0 : ReadToken(nextToken, changeSet.Id);
            var page = changeSet.Changes.Skip(start).Take(Options.ChangesPageSize).ToList();
            var next = start + page.Count < changeSet.Changes.Count ? Token(changeSet.Id, start + page.Count) : null;
            return new ChangeSetView(changeSet, status, executionStatus, reason, page, next);
        }
    }

    public void ExecuteChangeSet(string changeSetName, string? stackName, string? clientRequestToken)
    {
        lock (Gate)
        {
            var changeSet = FindChangeSet(changeSetName, stackName);
            var stack = changeSet.Stack;
            if (clientRequestToken is not null && stack.ExecuteTokens.TryGetValue(clientRequestToken, out var executed))
            {
                if (executed == changeSet.Id)
                    return; // a retry of a call that already took effect
                throw new CloudFormationError(HttpStatusCode.BadRequest, "TokenAlreadyExistsException",
                    $"Another ExecuteChangeSet request with the ClientRequestToken {clientRequestToken} was made for a different change set.");
            }
            var (status, executionStatus, _) = changeSet.StateAt(Time.GetUtcNow(), Options.TimeScale);
            if (status != "CREATE_COMPLETE")
                throw CloudFormationError.InvalidChangeSetStatus($"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [{status}]");
            if (executionStatus != "AVAILABLE")
                throw CloudFormationError.InvalidChangeSetStatus($"ChangeSet [{changeSet.Id}] cannot be executed in its current execution status of [{executionStatus}]");
            if (stack.Operation is not null)
                throw CloudFormationError.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");

            changeSet.Execution = "EXECUTE_IN_PROGRESS";
            foreach (var other in stack.ChangeSets.Values.Where(c => c != changeSet && c.Execution is null))
                other.Execution = "OBSOLETE";
            if (clientRequestToken is not null)
                stack.ExecuteTokens.Add(clientRequestToken, changeSet.Id);
            stack.ChangeSetId = changeSet.Id;
            var update = changeSet.Type == "UPDATE";
            var operation = new StackOperation(this, stack, new OperationProgress
            {
                Kind = changeSet.Type,
                ClientRequestToken = clientRequestToken,
                ChangeSetId = changeSet.Id,
                Previous = update ? stack.Configuration : null,
                Before = update ? new Dictionary<string, DeployedResource>(stack.Resources, StringComparer.Ordinal) : null,
            });
            stack.Operation = operation;
            if (update)
                stack.LastUpdatedTime = Time.GetUtcNow();
            operation.Start(update ? "UPDATE_IN_PROGRESS" : "CREATE_IN_PROGRESS");
        }
    }

    public void DeleteChangeSet(string changeSetName, string? stackName)
    {
        lock (Gate)
        {
            var changeSet = FindChangeSet(changeSetName, stackName);
            if (changeSet.Execution == "EXECUTE_IN_PROGRESS")
                throw CloudFormationError.InvalidChangeSetStatus("Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS");
            changeSet.Stack.ChangeSets.Remove(changeSet.Name);
            _changeSetsById.Remove(changeSet.Id);
            Changed(changeSet.Stack);
        }
    }

    public IReadOnlyList<StackView> DescribeStacks(string? stackName)
    {
        lock (Gate)
        {
            var stacks = stackName is null
                ? _stacksByName.Values.OrderByDescending(s => s.CreationTime).ToList()
                : [FindStack(stackName) ?? throw CloudFormationError.StackNotFound(stackName)];
            var now = Time.GetUtcNow();
            return stacks.Select(s => new StackView(s.Name, s.Id, s.Status, s.StatusReason, s.CreationTime,
                s.LastUpdatedTime, s.DeletionTime, s.ChangeSetId, s.Configuration,
                s.DriftDetections.LastOrDefault(d => d.IsCompleteAt(now, Options.TimeScale)))).ToList();
        }
    }

    public StackEventsPage DescribeStackEvents(string stackName, string? nextToken)
    {
        lock (Gate)
        {
            var stack = FindStack(stackName) ?? throw CloudFormationError.Validation($"Stack [{stackName}] does not exist");
            // Newest first; a token holds the sequence number where the previous page ended, so events added (or
            // old ones dropped) since do not shift pages.
            var events = stack.Events;
            var first = events.Count == 0 ? stack.NextEventSequence : events[0].Sequence;
            var end = nextToken is null ? events.Count : Math.Clamp(ReadToken(nextToken, stack.Id) - first, 0, events.Count);
            var start = Math.Max(0, end - Options.EventsPageSize);
            var page = events.GetRange(start, end - start);
            page.Reverse();
            return new StackEventsPage(page, start > 0 ? Token(stack.Id, events[start].Sequence) : null);
        }
    }

    public void DeleteStack(string stackName, string? clientRequestToken)
    {
        lock (Gate)
        {
            var stack = FindActiveStack(stackName);
            if (stack is null || (clientRequestToken is not null && stack.DeleteTokens.TryGetValue(clientRequestToken, out _)))
                return; // deleting a stack that is gone, or retrying a delete, succeeds and does nothing
            if (stack.Operation is { Kind: "DELETE" })
                return;
            if (stack.Operation is not null)
                throw CloudFormationError.Validation($"Stack [{stack.Name}] cannot be deleted while in status {stack.Status}");
            if (clientRequestToken is not null)
                stack.DeleteTokens.Add(clientRequestToken, stack.Id);
            foreach (var changeSet in stack.ChangeSets.Values)
                _changeSetsById.Remove(changeSet.Id);
            stack.ChangeSets.Clear();
            var operation = new StackOperation(this, stack, new OperationProgress { Kind = "DELETE", ClientRequestToken = clientRequestToken });
            stack.Operation = operation;
            operation.Start("DELETE_IN_PROGRESS");
        }
    }

    public void CancelUpdateStack(string stackName)
    {
        lock (Gate)
        {
            var stack = FindActiveStack(stackName) ?? throw CloudFormationError.StackNotFound(stackName);
            if (stack.Status != "UPDATE_IN_PROGRESS" || stack.Operation is not { Kind: "UPDATE" } operation)
                throw CloudFormationError.Validation("CancelUpdateStack cannot be called from current stack status");
            operation.RequestCancel();
        }
    }

    /// <summary>Appends an event (and for the stack's own events, sets its status).</summary>
    public void Emit(SandboxStack stack, string logicalId, string physicalId, string type, string status, string? reason, string? clientRequestToken)
    {
        lock (Gate)
        {
            Changed(stack);
            var now = Time.GetUtcNow();
            if (now < stack.LastEventTime)
                now = stack.LastEventTime;
            stack.LastEventTime = now;
            var isStack = type == SandboxStack.ResourceType && logicalId == stack.Name;
            var eventId = isStack ? Guid.NewGuid().ToString() : $"{logicalId}-{Guid.NewGuid()}";
            var stackEvent = new SandboxStackEvent(stack.NextEventSequence++, eventId, stack.Id, stack.Name, logicalId, physicalId,
                type, now, status, reason, clientRequestToken);
            stack.Events.Add(stackEvent);
            Publish(stack, stackEvent);
            if (stack.Events.Count > Options.MaxEventsPerStack)
                stack.Events.RemoveRange(0, stack.Events.Count - Options.MaxEventsPerStack);
            if (isStack)
            {
                stack.Status = status;
                stack.StatusReason = reason;
            }
            else if (status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
                stack.OutOfBand.Remove(logicalId); // CloudFormation wrote the resource: what was changed outside is overwritten
        }
    }

    /// <summary>Called by an operation when it ends, however it ends.</summary>
    public void Finished(SandboxStack stack)
    {
        lock (Gate)
        {
            stack.Operation = null;
            Changed(stack);
            if (stack.Status != "DELETE_COMPLETE" || _stacksByName.GetValueOrDefault(stack.Name) != stack)
                return;
            _stacksByName.Remove(stack.Name);
            _deletedStacks.Enqueue(stack);
            while (_deletedStacks.Count > Options.MaxDeletedStacks)
                Forget(_deletedStacks.Dequeue());
        }
    }

    /// <summary>Drops a deleted stack for good: its id no longer finds it, nor its drift detections.</summary>
    private void Forget(SandboxStack stack)
    {
        _stacksById.Remove(stack.Id);
        Dropped(stack);
        foreach (var detection in stack.DriftDetections)
            _driftDetections.Remove(detection.Id);
    }

    /// <summary>
    /// Keeps a stack's change sets within <see cref="SandboxOptions.MaxChangeSetsPerStack"/> for one more: drops the oldest
    /// that can no longer be executed (executed, obsolete, failed; AWS deletes such change sets once another executes),
    /// or refuses when every one still can be.
    /// </summary>
    private void MakeRoomForChangeSet(SandboxStack stack)
    {
        var now = Time.GetUtcNow();
        var spent = stack.ChangeSets.Values
            .Where(c => c.StateAt(now, Options.TimeScale) is { Status: "FAILED" } or { ExecutionStatus: "EXECUTE_COMPLETE" or "EXECUTE_FAILED" or "OBSOLETE" })
            .OrderBy(c => c.CreationTime)
            .ToList();
        var excess = stack.ChangeSets.Count - Options.MaxChangeSetsPerStack + 1;
        if (excess > spent.Count)
            throw CloudFormationError.LimitExceeded(
                $"Limit for change sets of stack [{stack.Name}] has been exceeded: the sandbox keeps at most {Options.MaxChangeSetsPerStack} " +
                $"({SandboxOptions.SectionName}:{nameof(SandboxOptions.MaxChangeSetsPerStack)}); delete or execute one first.");
        foreach (var changeSet in spent.Take(Math.Max(0, excess)))
        {
            stack.ChangeSets.Remove(changeSet.Name);
            _changeSetsById.Remove(changeSet.Id);
        }
    }

    // By name: the live stack. By id: any stack, including deleted ones (as AWS keeps them visible by id).
    private SandboxStack? FindStack(string nameOrId) =>
        nameOrId.StartsWith("arn:", StringComparison.Ordinal) ? _stacksById.GetValueOrDefault(nameOrId) : _stacksByName.GetValueOrDefault(nameOrId);

    private SandboxStack? FindActiveStack(string nameOrId) =>
        FindStack(nameOrId) is { Status: not "DELETE_COMPLETE" } stack ? stack : null;

    private SandboxChangeSet FindChangeSet(string changeSetName, string? stackName)
    {
        if (changeSetName.StartsWith("arn:", StringComparison.Ordinal))
            return _changeSetsById.GetValueOrDefault(changeSetName) ?? throw CloudFormationError.ChangeSetNotFound(changeSetName);
        if (stackName is null)
            throw CloudFormationError.Validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
        return FindActiveStack(stackName)?.ChangeSets.GetValueOrDefault(changeSetName) ?? throw CloudFormationError.ChangeSetNotFound(changeSetName);
    }

    private string Arn(string resource) => $"arn:aws:cloudformation:{Options.Region}:{Options.AccountId}:{resource}";

    private static string Token(string owner, int position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{owner}|{position.ToString(CultureInfo.InvariantCulture)}"));

    private static int ReadToken(string token, string owner)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.LastIndexOf('|');
            if (bar > 0 && text[..bar] == owner && int.TryParse(text[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                return position;
        }
        catch (FormatException)
        {
            // reported below like any other token that is not ours
        }
        throw CloudFormationError.Validation("Invalid NextToken");
    }

    /// <summary>Stops every running operation (the stacks stay as they are, and so does what is on disk).</summary>
    public void Dispose()
    {
        _shutdown.Cancel(); // not disposed: operations still read its token while they wind down
        EndLongPolls();
        CloseStore();
    }
}
