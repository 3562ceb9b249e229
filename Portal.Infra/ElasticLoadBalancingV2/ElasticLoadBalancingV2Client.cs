using System.Globalization;
using Amazon.Runtime;
using Portal.Infra.Aws;
using static Portal.Infra.Aws.QueryXml;

namespace Portal.Infra.ElasticLoadBalancingV2;

/// <summary><see cref="IElasticLoadBalancingV2"/> over the AWS Query protocol (<see cref="QueryProtocol"/>, API version 2015-12-01).</summary>
public sealed class ElasticLoadBalancingV2Client : IElasticLoadBalancingV2, IDisposable
{
    public const string ServiceName = "Elastic Load Balancing";
    public const string ApiVersion = "2015-12-01";
    public const string SigningService = "elasticloadbalancing";

    /// <summary>A target group holds at most this many targets (ELB's quota), so no more are asked about.</summary>
    public const int MaxTargets = 1000;

    private readonly AwsTransport _transport;
    private readonly QueryProtocol _query;

    private ElasticLoadBalancingV2Client(HttpClient http, Uri endpoint, AwsClientOptions? options, TimeProvider? time)
    {
        _transport = new AwsTransport(http, ownsHttp: true, endpoint, ServiceName, options, time);
        _query = new QueryProtocol(_transport, ApiVersion);
    }

    public Uri Endpoint => _transport.Endpoint;

    /// <summary>A client that signs every call with SigV4 for <paramref name="region"/> (see <see cref="AwsTransport.Signed"/>).</summary>
    public static ElasticLoadBalancingV2Client Create(
        Uri endpoint, AWSCredentials credentials, string region,
        AwsClientOptions? options = null, TimeProvider? time = null, HttpMessageHandler? transport = null) =>
        new(AwsTransport.Signed(credentials, region, SigningService, transport), endpoint, options, time);

    public async Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.TargetGroupArn, nameof(DescribeTargetHealthRequest), nameof(request.TargetGroupArn));
        RequestCheck.Range(request.Targets.Count, 0, MaxTargets, nameof(DescribeTargetHealthRequest), nameof(request.Targets));
        var form = new QueryForm("DescribeTargetHealth")
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddMembers("Targets", request.Targets, target =>
                [("Id", target.Id), ("Port", target.Port?.ToString(CultureInfo.InvariantCulture)), ("AvailabilityZone", target.AvailabilityZone)]);
        return await _query.SendAsync(form, retryable: true, reply => new DescribeTargetHealthResponse
        {
            TargetHealthDescriptions = Members(reply.Result, "TargetHealthDescriptions").Select(m => new TargetHealthDescription
            {
                Target = Child(m, "Target") is { } target
                    ? new TargetDescription { Id = Required(target, "Id"), Port = Int(target, "Port"), AvailabilityZone = Text(target, "AvailabilityZone") }
                    : throw new UnreadableReplyException("a <TargetHealthDescriptions> member has no <Target>"),
                HealthCheckPort = Text(m, "HealthCheckPort"),
                TargetHealth = Child(m, "TargetHealth") is { } health
                    ? new TargetHealth { State = Required(health, "State"), Reason = Text(health, "Reason"), Description = Text(health, "Description") }
                    : throw new UnreadableReplyException("a <TargetHealthDescriptions> member has no <TargetHealth>"),
            }).ToList(),
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public void Dispose() => _transport.Dispose();
}
