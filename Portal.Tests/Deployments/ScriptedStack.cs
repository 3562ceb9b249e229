using System.Net;
using Portal.Infra.CloudFormation;

namespace Portal.Tests.Deployments;

/// <summary>
/// A stack whose life is a script: each poll (a first-page DescribeStackEvents call) makes the next step's
/// events and status visible. Events are served newest first in pages of <see cref="PageSize"/>.
/// Only the calls the watcher makes are implemented.
/// </summary>
internal sealed class ScriptedStack : ICloudFormation
{
    public const string Name = "portal-orders-dev";
    public const string Id = "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-orders-dev/6a1f";
    public static readonly DateTime T0 = new(2024, 5, 2, 12, 0, 0, DateTimeKind.Utc);

    private readonly List<StackEvent> _events = [];
    private readonly Queue<Step> _steps = new();
    private int _calls;

    /// <param name="Throttled">The poll is answered with a Throttling error (nothing new becomes visible).</param>
    public sealed record Step(IReadOnlyList<StackEvent> Events, string? Status = null, string? Reason = null, bool Throttled = false);

    public ScriptedStack(string status, params StackEvent[] history)
    {
        Status = status;
        _events.AddRange(history);
    }

    public string Status { get; private set; }
    public string? Reason { get; private set; }
    public DateTime? LastUpdated { get; init; }
    public IReadOnlyList<Output> Outputs { get; init; } = [];
    public int PageSize { get; init; } = 100;

    /// <summary>Decides per call (action, 1-based call number) whether it fails.</summary>
    public Func<string, int, Exception?> Fault { get; init; } = (_, _) => null;

    public int StepsLeft => _steps.Count;

    /// <summary>Everything after <paramref name="since"/>, oldest first: what a watcher must hand on.</summary>
    public IReadOnlyList<string> EventIdsSince(DateTime since) =>
        _events.Concat(_steps.SelectMany(s => s.Events)).Where(e => e.Timestamp >= since).Select(e => e.EventId).ToList();

    public ScriptedStack Then(string? status, params StackEvent[] events) => Then(new Step(events, status));

    /// <summary>A poll at which nothing new has happened.</summary>
    public ScriptedStack Quiet() => Then(new Step([]));

    /// <summary>A poll CloudFormation answers with a Throttling error.</summary>
    public ScriptedStack ThrottledPoll() => Then(new Step([], Throttled: true));

    public ScriptedStack Then(Step step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public static StackEvent Event(int second, string logicalId, string resourceType, string status, string? reason = null) => new()
    {
        EventId = $"{logicalId}-{status}-{second}",
        StackId = Id,
        StackName = Name,
        LogicalResourceId = logicalId,
        PhysicalResourceId = resourceType == "AWS::CloudFormation::Stack" && logicalId == Name ? Id : $"phys-{logicalId}",
        ResourceType = resourceType,
        Timestamp = T0.AddSeconds(second),
        ResourceStatus = status,
        ResourceStatusReason = reason,
    };

    public static StackEvent StackLine(int second, string status, string? reason = null) =>
        Event(second, Name, "AWS::CloudFormation::Stack", status, reason);

    public Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default)
    {
        Assert.Equal(Id, request.StackName);
        if (request.NextToken is null && _steps.TryDequeue(out var step))
        {
            if (step.Throttled)
                throw Throttled("DescribeStackEvents");
            _events.AddRange(step.Events);
            Status = step.Status ?? Status;
            Reason = step.Reason ?? Reason;
        }
        Fail("DescribeStackEvents");
        var offset = int.Parse(request.NextToken ?? "0");
        var newestFirst = _events.AsEnumerable().Reverse().ToList();
        var page = newestFirst.Skip(offset).Take(PageSize).ToList();
        return Task.FromResult(new DescribeStackEventsResponse
        {
            StackEvents = page,
            NextToken = offset + PageSize < newestFirst.Count ? (offset + PageSize).ToString() : null,
        });
    }

    public Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default)
    {
        Fail("DescribeStacks");
        return Task.FromResult(new DescribeStacksResponse
        {
            Stacks =
            [
                new Stack
                {
                    StackId = Id, StackName = Name, StackStatus = Status, StackStatusReason = Reason,
                    CreationTime = T0.AddDays(-30), LastUpdatedTime = LastUpdated, Outputs = Outputs,
                },
            ],
        });
    }

    private void Fail(string action)
    {
        if (Fault(action, Interlocked.Increment(ref _calls)) is { } exception)
            throw exception;
    }

    public Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(DescribeStackResourceDriftsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public static CloudFormationException Throttled(string action) =>
        new(action, "Throttling", "Rate exceeded", "req-1", HttpStatusCode.BadRequest);
}
