using Portal.Infra.Aws;

namespace Portal.Infra.Ecs;

/// <summary>
/// The read-only Amazon ECS operations diagnosis uses, shaped like AWSSDK.ECS's <c>IAmazonECS</c> (same operation,
/// request and member names; AWS's <c>Task</c> is <see cref="EcsTask"/>). Every call is retried as
/// <see cref="AwsClientOptions"/> says. Service errors surface as <see cref="AwsServiceException"/>; an endpoint that
/// cannot be reached after the retries surfaces as <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
/// </summary>
public interface IEcs
{
    /// <summary>Up to ten services with their counts, deployments (rollout state) and events.</summary>
    Task<DescribeServicesResponse> DescribeServicesAsync(DescribeServicesRequest request, CancellationToken cancellationToken = default);

    /// <summary>The ARNs of a service's tasks, following ECS's pages up to <see cref="ListTasksRequest.Limit"/>.</summary>
    Task<ListTasksResponse> ListTasksAsync(ListTasksRequest request, CancellationToken cancellationToken = default);

    /// <summary>Up to a hundred tasks with their status, why they stopped, and their containers' exit codes and reasons.</summary>
    Task<DescribeTasksResponse> DescribeTasksAsync(DescribeTasksRequest request, CancellationToken cancellationToken = default);
}
