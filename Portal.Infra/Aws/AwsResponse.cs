using System.Text.Json.Serialization;

namespace Portal.Infra.Aws;

/// <summary>What every AWS response carries beside its members.</summary>
public abstract record AwsResponse
{
    /// <summary>AWS's id of the call (from the reply's metadata or its <c>x-amzn-RequestId</c> header), for support cases and CloudTrail.</summary>
    [JsonIgnore]
    public string? RequestId { get; init; }
}
