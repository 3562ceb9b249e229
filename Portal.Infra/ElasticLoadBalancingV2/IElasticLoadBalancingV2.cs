using Portal.Infra.Aws;

namespace Portal.Infra.ElasticLoadBalancingV2;

/// <summary>
/// The read-only Elastic Load Balancing (v2: application load balancers) operation diagnosis uses, shaped like
/// AWSSDK.ElasticLoadBalancingV2's <c>IAmazonElasticLoadBalancingV2</c>. Retried as <see cref="AwsClientOptions"/> says;
/// service errors surface as <see cref="AwsServiceException"/> (<c>TargetGroupNotFound</c>, …), an unreachable endpoint as
/// <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
/// </summary>
public interface IElasticLoadBalancingV2
{
    /// <summary>The health of a target group's targets, with ELB's reason for each one that is not healthy.</summary>
    Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default);
}
