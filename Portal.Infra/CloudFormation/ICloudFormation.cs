namespace Portal.Infra.CloudFormation;

/// <summary>
/// The CloudFormation operations the portal uses, shaped like AWSSDK.CloudFormation's
/// <c>IAmazonCloudFormation</c> (same operation, request and member names) so that the SDK can replace
/// <see cref="CloudFormationClient"/> later without touching callers.
/// Service errors surface as <see cref="CloudFormationException"/>; an endpoint that cannot be reached after
/// the retries surfaces as <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
/// </summary>
public interface ICloudFormation
{
    Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes a change set, following <c>NextToken</c> until every change is in the response.</summary>
    Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default);

    Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default);

    Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default);

    Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page of events, newest first; pass the response's <c>NextToken</c> for the next (older) page.</summary>
    Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default);

    Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default);

    Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a drift detection of the stack's resources; follow it with <see cref="DescribeStackDriftDetectionStatusAsync"/>.</summary>
    Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default);

    Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page of the last detection's resource results; pass the response's <c>NextToken</c> for the next.</summary>
    Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(DescribeStackResourceDriftsRequest request, CancellationToken cancellationToken = default);
}
