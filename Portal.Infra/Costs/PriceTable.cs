namespace Portal.Infra.Costs;

/// <summary>
/// Configuration section <c>Pricing</c>: public on-demand prices per region, the date they were taken from AWS's
/// pricing pages, and the usage the estimate assumes where the spec says nothing (traffic, data, logs).
/// </summary>
public sealed class PriceTable
{
    public const string Section = "Pricing";

    /// <summary>When the prices were read off AWS's pricing pages; shown with every estimate.</summary>
    public DateOnly? AsOf { get; set; }

    /// <summary>The currency of every price (AWS lists USD).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Region name (e.g. <c>eu-west-1</c>) → its prices. Every configured target's region needs one.</summary>
    public Dictionary<string, RegionPrices> Regions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public CostAssumptions Assumptions { get; set; } = new();
}

/// <summary>
/// One region's on-demand prices. Nullable so that a key missing from configuration is reported, not read as free.
/// </summary>
public sealed class RegionPrices
{
    /// <summary>Fargate, Linux/x86, per vCPU-hour.</summary>
    public decimal? FargateVcpuHour { get; set; }

    /// <summary>Fargate, Linux/x86, per GB of memory per hour.</summary>
    public decimal? FargateGbHour { get; set; }

    /// <summary>Application Load Balancer, per load-balancer-hour.</summary>
    public decimal? LoadBalancerHour { get; set; }

    /// <summary>Application Load Balancer, per LCU-hour.</summary>
    public decimal? LcuHour { get; set; }

    /// <summary>NAT gateway, per hour.</summary>
    public decimal? NatGatewayHour { get; set; }

    /// <summary>NAT gateway, per GB processed.</summary>
    public decimal? NatGatewayGb { get; set; }

    /// <summary>Public IPv4 address (in use or idle), per hour.</summary>
    public decimal? PublicIpv4Hour { get; set; }

    /// <summary>CloudWatch Logs, standard class, per GB ingested.</summary>
    public decimal? LogsIngestionGb { get; set; }

    /// <summary>CloudWatch Logs, per GB stored per month.</summary>
    public decimal? LogsStorageGbMonth { get; set; }

    /// <summary>Each price by its configuration key, for validation.</summary>
    internal IEnumerable<(string Key, decimal? Price)> All() =>
    [
        (nameof(FargateVcpuHour), FargateVcpuHour), (nameof(FargateGbHour), FargateGbHour),
        (nameof(LoadBalancerHour), LoadBalancerHour), (nameof(LcuHour), LcuHour),
        (nameof(NatGatewayHour), NatGatewayHour), (nameof(NatGatewayGb), NatGatewayGb),
        (nameof(PublicIpv4Hour), PublicIpv4Hour),
        (nameof(LogsIngestionGb), LogsIngestionGb), (nameof(LogsStorageGbMonth), LogsStorageGbMonth),
    ];
}

/// <summary>The usage a spec does not tell, per environment and month; the estimate states each one.</summary>
public sealed class CostAssumptions
{
    /// <summary>Average LCUs each load balancer uses in an hour (new connections, active connections, bytes, rules).</summary>
    public decimal LcuPerLoadBalancer { get; set; } = 1m;

    /// <summary>GB a month through the NAT gateway: image pulls, Secrets Manager, logs, calls out.</summary>
    public decimal NatDataGbPerMonth { get; set; } = 50m;

    /// <summary>GB of logs both services send to CloudWatch Logs in a month.</summary>
    public decimal LogIngestionGbPerMonth { get; set; } = 5m;

    /// <summary>GB of logs kept on average (the log groups keep one month, so about a month's ingestion).</summary>
    public decimal LogStorageGb { get; set; } = 5m;

    internal IEnumerable<(string Key, decimal Value)> All() =>
    [
        (nameof(LcuPerLoadBalancer), LcuPerLoadBalancer), (nameof(NatDataGbPerMonth), NatDataGbPerMonth),
        (nameof(LogIngestionGbPerMonth), LogIngestionGbPerMonth), (nameof(LogStorageGb), LogStorageGb),
    ];
}
