using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Infra.Environments;
using Portal.Infra.Targets;

namespace Portal.Infra.Costs;

/// <summary>
/// The monthly cost of an environment from its spec and the price table of its target's region: Fargate vCPU and
/// memory of both services × desired count, the two load balancers, the NAT gateway, the public IPv4 addresses and
/// CloudWatch Logs. No I/O: the same spec and table give the same figures.
/// </summary>
public sealed class CostEstimator(IOptions<PriceTable> prices, IOptions<TargetOptions> targets)
{
    /// <summary>AWS's convention for a month of hours (365 × 24 / 12).</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>TwoTierEnvironment spreads over two AZs: the public ALB holds one public IPv4 address in each.</summary>
    public const int AvailabilityZones = 2;

    /// <summary>The public and the internal ALB.</summary>
    public const int LoadBalancers = 2;

    /// <summary>The public ALB's address per AZ and the NAT gateway's Elastic IP; the internal ALB has none.</summary>
    public const int PublicIpv4Addresses = AvailabilityZones + 1;

    /// <summary>The estimate of <paramref name="spec"/> on its target; null when the target is not configured.</summary>
    public CostEstimate? Estimate(EnvironmentSpec spec) =>
        spec.Target is { } name && targets.Value.TryGetValue(name, out var target) ? Estimate(spec, target.SigningRegion, prices.Value) : null;

    /// <summary>
    /// What replacing <paramref name="deployed"/> (null: nothing deployed) with <paramref name="requested"/> (null: a
    /// destroy) does to the monthly cost.
    /// </summary>
    public CostComparison Compare(EnvironmentSpec? deployed, EnvironmentSpec? requested) =>
        CostComparison.Between(deployed is null ? null : Estimate(deployed), requested is null ? null : Estimate(requested));

    /// <summary>The estimate of <paramref name="spec"/> with <paramref name="region"/>'s prices from <paramref name="table"/>.</summary>
    public static CostEstimate Estimate(EnvironmentSpec spec, string region, PriceTable table)
    {
        if (!table.Regions.TryGetValue(region, out var p))
            throw new ArgumentException($"{PriceTable.Section}:Regions has no prices for {region}.", nameof(region));
        var a = table.Assumptions;
        var lines = new List<CostLine>();
        foreach (var (key, name, service) in new (string, string, ServiceSpec)[] { ("frontend", "Frontend", spec.Frontend), ("backend", "Backend", spec.Backend) })
        {
            var taskHours = service.DesiredCount * HoursPerMonth;
            lines.Add(Line($"{key}.vcpu", $"{name} Fargate vCPU ({service.DesiredCount} × {Number(service.Cpu / 1024m)} vCPU)",
                taskHours * service.Cpu / 1024m, "vCPU-hours", p.FargateVcpuHour));
            lines.Add(Line($"{key}.memory", $"{name} Fargate memory ({service.DesiredCount} × {Number(service.MemoryMiB / 1024m)} GB)",
                taskHours * service.MemoryMiB / 1024m, "GB-hours", p.FargateGbHour));
        }
        lines.Add(Line("alb.hours", $"Load balancers ({LoadBalancers} ALBs)", LoadBalancers * HoursPerMonth, "ALB-hours", p.LoadBalancerHour));
        lines.Add(Line("alb.lcu", $"Load balancer capacity ({Number(a.LcuPerLoadBalancer)} LCU per ALB, assumed)",
            LoadBalancers * a.LcuPerLoadBalancer * HoursPerMonth, "LCU-hours", p.LcuHour));
        lines.Add(Line("nat.hours", "NAT gateway", HoursPerMonth, "hours", p.NatGatewayHour));
        lines.Add(Line("nat.data", "NAT gateway data processed (assumed)", a.NatDataGbPerMonth, "GB", p.NatGatewayGb));
        lines.Add(Line("ipv4", $"Public IPv4 addresses ({AvailabilityZones} public ALB, 1 NAT Elastic IP)",
            PublicIpv4Addresses * HoursPerMonth, "address-hours", p.PublicIpv4Hour));
        lines.Add(Line("logs.ingestion", "CloudWatch Logs ingestion (assumed)", a.LogIngestionGbPerMonth, "GB", p.LogsIngestionGb));
        lines.Add(Line("logs.storage", "CloudWatch Logs storage (assumed)", a.LogStorageGb, "GB-months", p.LogsStorageGbMonth));

        return new CostEstimate(region, table.Currency, table.AsOf ?? default, lines,
        [
            $"Every task runs all month ({Number(HoursPerMonth)} hours) at the desired count, on-demand Linux/x86 prices, no free tier or savings plan.",
            $"Each load balancer uses {Number(a.LcuPerLoadBalancer)} LCU on average.",
            $"{Number(a.NatDataGbPerMonth)} GB a month pass the NAT gateway; data transfer out to the internet is not counted.",
            $"The services send {Number(a.LogIngestionGbPerMonth)} GB of logs a month and {Number(a.LogStorageGb)} GB are kept.",
        ]);
    }

    private static CostLine Line(string key, string item, decimal quantity, string unit, decimal? unitPrice)
    {
        // The validator guarantees every price at start-up; a table built in code must be complete too.
        var price = unitPrice ?? throw new InvalidOperationException($"The price table has no price for {key}.");
        return new CostLine(key, item, quantity, unit, price, decimal.Round(quantity * price, 2, MidpointRounding.AwayFromZero));
    }

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
