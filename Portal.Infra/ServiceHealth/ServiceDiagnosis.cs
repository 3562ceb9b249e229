using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Infra.ServiceHealth;

/// <summary>
/// What ECS, the load balancer and CloudWatch Logs said about an environment's services at one moment, and the real
/// cause of a failure when they tell one. Stored with a revision (JSON, bounded by <see cref="ServiceReportLimits"/>)
/// so a page opened later and the API show what was seen during the deploy.
/// </summary>
/// <param name="ReadAt">When AWS was asked.</param>
/// <param name="Services">One report per service found, in request order (frontend, backend).</param>
public sealed record ServiceDiagnosis(DateTimeOffset ReadAt, IReadOnlyList<ServiceReport> Services)
{
    /// <summary>The stored JSON is at most this long; <see cref="ServiceReportLimits"/> keeps a real one far below.</summary>
    public const int MaxJsonLength = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The first service's real cause of failure (<see cref="ServiceCause.Find"/>), or null when none is told.</summary>
    [JsonIgnore]
    public string? Cause => Services.Select(ServiceCause.Find).FirstOrDefault(c => c is not null);

    /// <summary>Every service runs its desired tasks behind healthy targets.</summary>
    [JsonIgnore]
    public bool IsHealthy => Services.Count > 0 && Services.All(s => s.IsHealthy);

    public string ToJson()
    {
        var json = JsonSerializer.Serialize(this, Json);
        // Only the log lines can make it long (50 lines of up to 1,000 characters per service): the newest are kept.
        return json.Length <= MaxJsonLength ? json
            : (this with { Services = [.. Services.Select(s => s with { LogLines = s.LogLines.TakeLast(10).ToList() })] }).ToJson();
    }

    public static ServiceDiagnosis? FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ServiceDiagnosis>(json, Json);
}
