using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portal.Sandbox;

/// <summary>A request as a fault test's pause sees it: its action and the current status of the stack it names (if any).</summary>
internal sealed record PausePoint(string Action, string? StackStatus);

/// <summary>
/// The sandbox CloudFormation endpoint: answers the CloudFormation Query API over HTTP from a simulation, with controls
/// for fault tests (call counts, throttling, pausing). Its account (stacks, change sets, events) is bounded by
/// <see cref="SandboxOptions"/> and kept in <see cref="SandboxOptions.DataFolder"/>, written before each answer, or in
/// memory for as long as the instance lives when no folder is set.
/// </summary>
public sealed class SandboxCloudFormation : IDisposable
{
    private const string UnknownAction = "(unknown)";

    private readonly CloudFormationSimulator _simulator;
    private readonly SigV4Authorization _authorization;
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _throttled = new(StringComparer.Ordinal);
    private readonly Lock _pauseGate = new();
    private readonly Lock _trapGate = new();
    private TaskCompletionSource? _paused;
    private PauseTrap? _trap;
    private double _throttleRate;
    private readonly ReadBudget _readBudget;
    private bool _sqsUrlKnown;

    /// <summary>
    /// Starts the sandbox; with a <see cref="SandboxOptions.DataFolder"/>, on the account kept there, whose stack operations
    /// that were in progress carry on. <paramref name="logger"/> hears of account files it cannot read.
    /// </summary>
    public SandboxCloudFormation(SandboxOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        options.Validate();
        Options = options;
        _throttleRate = options.ThrottleRate;
        _simulator = new CloudFormationSimulator(options, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance);
        _authorization = new SigV4Authorization(options, _simulator.Time, "cloudformation");
        _readBudget = new ReadBudget(options.ReadBudget, options.TimeScale, _simulator.Time);
        Ecs = new JsonServiceEndpoint(_simulator, "ecs", EcsActions.TargetPrefix, JsonServiceEndpoint.Locked(EcsActions.Handlers));
        Logs = new JsonServiceEndpoint(_simulator, "logs", LogsActions.TargetPrefix, JsonServiceEndpoint.Locked(LogsActions.Handlers));
        // ThrottleRate throttles SQS calls too, answered as SQS does (RequestThrottled) and counted with CloudFormation's.
        Sqs = new JsonServiceEndpoint(_simulator, "sqs", SqsActions.TargetPrefix, SqsActions.Handlers, SqsActions.Protocol, action =>
        {
            if (Random.Shared.NextDouble() >= ThrottleRate)
                return null;
            Count(_throttled, action);
            return new CloudFormationError(HttpStatusCode.BadRequest, "RequestThrottled", "Rate exceeded");
        });
        ElasticLoadBalancing = new ElasticLoadBalancingEndpoint(_simulator);
    }

    public SandboxOptions Options { get; }

    /// <summary>The same account's ECS, CloudWatch Logs and Elastic Load Balancing endpoints (its stacks' services, tasks, logs and targets).</summary>
    internal ServiceEndpoint Ecs { get; }
    internal ServiceEndpoint Logs { get; }
    internal ServiceEndpoint ElasticLoadBalancing { get; }

    /// <summary>The same account's SQS endpoint (JSON 1.0): the queues its stacks created.</summary>
    internal ServiceEndpoint Sqs { get; }

    /// <summary>
    /// Where the SQS endpoint answers, the base of queue URLs (<c>&lt;SqsUrl&gt;/&lt;account&gt;/&lt;name&gt;</c>), which a
    /// queue's <c>Ref</c> gives. The standalone server sets it when it listens; a web host's first request sets it, from
    /// the address the request came to, unless it was set.
    /// </summary>
    public string SqsUrl
    {
        get => _simulator.SqsUrl;
        set
        {
            _simulator.SqsUrl = value.TrimEnd('/');
            Volatile.Write(ref _sqsUrlKnown, true);
        }
    }

    /// <summary>Sets <see cref="SqsUrl"/> from the first request, unless it is known: <paramref name="path"/> on the host it came to.</summary>
    internal void LearnSqsUrl(HttpRequest request, string path)
    {
        if (!Volatile.Read(ref _sqsUrlKnown))
            SqsUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
    }

    /// <summary>Stack events a rule matched but could not send to its queue, no queue policy allowing EventBridge to.</summary>
    internal long UndeliveredEvents
    {
        get
        {
            lock (_simulator.Gate)
                return _simulator.UndeliveredEvents;
        }
    }

    /// <summary>Messages dropped from full queues (<see cref="SandboxOptions.MaxMessagesPerQueue"/>).</summary>
    internal long DroppedMessages
    {
        get
        {
            lock (_simulator.Gate)
                return _simulator.DroppedMessages;
        }
    }

    /// <summary>SQS ReceiveMessage calls waiting now for a message (tests wait for a long poll to be under way).</summary>
    internal int LongPollsWaiting => _simulator.LongPollsWaiting;

    /// <summary>Ends the SQS long polls waiting now and any later one at once (the host is stopping).</summary>
    internal void EndLongPolls() => _simulator.EndLongPolls();

    /// <summary>Fraction (0..1) of calls answered with a Throttling error; starts at <see cref="SandboxOptions.ThrottleRate"/>.</summary>
    internal double ThrottleRate
    {
        get => Volatile.Read(ref _throttleRate);
        set
        {
            if (!(value is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(value), value, "ThrottleRate must be between 0 and 1.");
            Volatile.Write(ref _throttleRate, value);
        }
    }

    /// <summary>
    /// Signed requests received per Action (throttled and failed ones included; unsigned or forged ones are not);
    /// unknown actions count as "(unknown)".
    /// </summary>
    internal IReadOnlyDictionary<string, long> CallCounts => new Dictionary<string, long>(_calls);

    /// <summary>Requests received for <paramref name="action"/>, e.g. "ExecuteChangeSet".</summary>
    internal long CallCount(string action) => _calls.GetValueOrDefault(action);

    /// <summary>Requests for <paramref name="action"/> that were answered with a Throttling error (by <see cref="ThrottleRate"/> or beyond <see cref="SandboxOptions.ReadBudget"/>).</summary>
    internal long ThrottledCount(string action) => _throttled.GetValueOrDefault(action);

    /// <summary>
    /// Raised for every signed request once its parameters are read (throttled ones included), with the time it arrived by
    /// the sandbox's clock, the one its stack events carry: benchmarks time the portal up to a call with it.
    /// Handlers run on the request's thread and must be quick.
    /// </summary>
    internal event Action<SandboxCall>? CallReceived;

    internal bool IsPaused
    {
        get
        {
            lock (_pauseGate)
                return _paused is not null;
        }
    }

    /// <summary>Stops answering: requests hang until <see cref="Resume"/> (stacks keep deploying meanwhile).</summary>
    internal void Pause()
    {
        lock (_pauseGate)
            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Answers again, including the requests that hung while paused.</summary>
    internal void Resume()
    {
        TaskCompletionSource? paused;
        lock (_pauseGate)
            (paused, _paused) = (_paused, null);
        paused?.TrySetResult();
    }

    /// <summary>
    /// Pauses the endpoint (as <see cref="Pause"/>) at the first request <paramref name="match"/> accepts: before the
    /// sandbox acts on it, or with <paramref name="afterEffect"/> once it took effect but before its reply is sent (its
    /// caller cannot know it worked). That request and every later one hang until <see cref="Resume"/>. The task
    /// completes when the pause took hold. <paramref name="match"/> sees every request, one at a time, so it may count.
    /// Replaces a trap set earlier that has not sprung.
    /// </summary>
    internal Task PauseAtAsync(Func<PausePoint, bool> match, bool afterEffect = false)
    {
        var trap = new PauseTrap(match, afterEffect);
        lock (_trapGate)
            _trap = trap;
        return trap.Sprung.Task;
    }

    /// <summary>
    /// Changes a deployed resource's property outside CloudFormation, as someone editing it in the console would, so
    /// that drift detection finds it: <paramref name="propertyPath"/> is a JSON pointer into the resource's properties
    /// (<c>/DesiredCount</c>, <c>/Tags/0/Value</c>), <paramref name="actualValue"/> the value it has now (JSON such as
    /// <c>3</c> or <c>true</c>, else taken as a string; null removes the property). Lasts until CloudFormation writes the
    /// resource again. Throws ArgumentException naming the parameter for an unknown stack, resource or a malformed path.
    /// </summary>
    public void Drift(string stackName, string logicalId, string propertyPath, string? actualValue)
    {
        JsonPointer.Tokens(propertyPath);
        _simulator.ChangeOutOfBand(stackName, logicalId, propertyPath, actualValue is null ? null : ParseValue(actualValue), deleted: false);
        _simulator.Persist();
    }

    /// <summary>Deletes a deployed resource outside CloudFormation: drift detection reports it DELETED.</summary>
    public void DeleteOutOfBand(string stackName, string logicalId)
    {
        _simulator.ChangeOutOfBand(stackName, logicalId, null, null, deleted: true);
        _simulator.Persist();
    }

    /// <summary>
    /// Makes something outside CloudFormation depend on a deployed resource, as a network interface someone attached
    /// to a security group does: deleting the stack then fails at that resource (DELETE_FAILED, "has a dependent
    /// object"), leaves it and what it depends on in place, and ends in DELETE_FAILED. Throws ArgumentException naming
    /// the parameter for an unknown stack or resource.
    /// </summary>
    internal void AddDependentObject(string stackName, string logicalId)
    {
        _simulator.AddDependentObject(stackName, logicalId);
        _simulator.Persist();
    }

    private static System.Text.Json.Nodes.JsonNode ParseValue(string value)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(value) ?? System.Text.Json.Nodes.JsonValue.Create(value);
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Json.Nodes.JsonValue.Create(value);
        }
    }

    internal async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var receivedAt = _simulator.Time.GetUtcNow();
        var cancellationToken = context.RequestAborted;
        try
        {
            await WhilePausedAsync(cancellationToken);

            // Nothing of the body is read for a request that cannot be genuine, and nothing of it is parsed unverified.
            var signed = _authorization.Check(context.Request);
            var body = await RequestBody.ReadAsync(context.Request, Options.MaxRequestBytes, cancellationToken);
            _authorization.Verify(context.Request, signed, body);
            var request = QueryRequest.Parse(context.Request, body);
            var action = request.Optional("Action");
            var handler = action is null ? null : QueryActions.Handlers.GetValueOrDefault(action);
            var trap = Spring(action, request);
            if (trap is { AfterEffect: false })
                await PauseHereAsync(trap, cancellationToken);
            Count(_calls, handler is null ? UnknownAction : action!);
            CallReceived?.Invoke(new SandboxCall(handler is null ? UnknownAction : action!,
                request.Optional("StackName"), request.Optional("ChangeSetName"), receivedAt));

            if (Random.Shared.NextDouble() < ThrottleRate || (action is not null && ReadBudget.IsRead(action) && !_readBudget.TryTake()))
            {
                Count(_throttled, handler is null ? UnknownAction : action!);
                throw CloudFormationError.Throttling();
            }
            if (action is null)
                throw new CloudFormationError(HttpStatusCode.BadRequest, "MissingAction", "Missing Action");
            var version = request.Optional("Version");
            if (handler is null || version != QueryActions.Version)
                throw new CloudFormationError(HttpStatusCode.BadRequest, "InvalidAction",
                    $"Could not find operation {action} for version {version ?? "NO_VERSION_SPECIFIED"}");

            var result = handler(_simulator, request);
            _simulator.Persist(); // what the reply tells (or a reply held back would have told) is on disk first
            if (trap is { AfterEffect: true })
                await PauseHereAsync(trap, cancellationToken);
            await QueryXml.WriteAsync(context.Response, HttpStatusCode.OK, QueryXml.Response(action, requestId, result), requestId, cancellationToken);
        }
        catch (CloudFormationError error)
        {
            await QueryXml.WriteAsync(context.Response, error.Status, QueryXml.Error(error, requestId), requestId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the caller went away (typically while the endpoint was paused)
        }
        catch (Exception e)
        {
            // A sandbox bug still answers in the protocol's shape, as a 5xx the client may retry.
            var error = new CloudFormationError(HttpStatusCode.InternalServerError, "InternalFailure", $"Sandbox internal error: {e.Message}");
            await QueryXml.WriteAsync(context.Response, error.Status, QueryXml.Error(error, requestId), requestId, cancellationToken);
        }
    }

    private async Task WhilePausedAsync(CancellationToken cancellationToken)
    {
        Task? paused;
        lock (_pauseGate)
            paused = _paused?.Task;
        if (paused is not null)
            await paused.WaitAsync(cancellationToken);
    }

    /// <summary>The armed trap if this request springs it (disarmed then), else null.</summary>
    private PauseTrap? Spring(string? action, QueryRequest request)
    {
        lock (_trapGate)
        {
            if (_trap is not { } trap || action is null)
                return null;
            if (!trap.Match(new PausePoint(action, StackStatusOf(request.Optional("StackName")))))
                return null;
            _trap = null;
            return trap;
        }
    }

    private string? StackStatusOf(string? stackName)
    {
        if (stackName is null)
            return null;
        try
        {
            return _simulator.DescribeStacks(stackName).FirstOrDefault()?.Status;
        }
        catch (CloudFormationError)
        {
            return null;
        }
    }

    private async Task PauseHereAsync(PauseTrap trap, CancellationToken cancellationToken)
    {
        Pause();
        trap.Sprung.TrySetResult();
        await WhilePausedAsync(cancellationToken);
    }

    private sealed record PauseTrap(Func<PausePoint, bool> Match, bool AfterEffect)
    {
        public TaskCompletionSource Sprung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static void Count(ConcurrentDictionary<string, long> counts, string action) =>
        counts.AddOrUpdate(action, 1, (_, n) => n + 1);

    /// <summary>Stops the operations in flight; pending requests are released.</summary>
    public void Dispose()
    {
        Resume();
        _simulator.Dispose();
    }
}
