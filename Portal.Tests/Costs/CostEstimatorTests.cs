using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infra;
using Portal.Infra.Costs;
using Portal.Infra.Environments;
using Portal.Infra.Targets;
using Portal.Tests.Environments;

namespace Portal.Tests.Costs;

/// <summary>The monthly estimate, against figures computed by hand from the price table.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class CostEstimatorTests
{
    /// <summary>us-east-1's public on-demand prices; the test owns them, so updating appsettings.json does not move these figures.</summary>
    public static PriceTable Table() => new()
    {
        AsOf = new DateOnly(2026, 11, 1),
        Regions =
        {
            ["us-east-1"] = new RegionPrices
            {
                FargateVcpuHour = 0.04048m, FargateGbHour = 0.004445m, LoadBalancerHour = 0.0225m, LcuHour = 0.008m,
                NatGatewayHour = 0.045m, NatGatewayGb = 0.045m, PublicIpv4Hour = 0.005m, LogsIngestionGb = 0.50m, LogsStorageGbMonth = 0.03m,
            },
            ["eu-west-1"] = new RegionPrices
            {
                FargateVcpuHour = 0.04048m, FargateGbHour = 0.004445m, LoadBalancerHour = 0.0252m, LcuHour = 0.008m,
                NatGatewayHour = 0.048m, NatGatewayGb = 0.048m, PublicIpv4Hour = 0.005m, LogsIngestionGb = 0.57m, LogsStorageGbMonth = 0.03m,
            },
        },
        Assumptions = new CostAssumptions { LcuPerLoadBalancer = 1m, NatDataGbPerMonth = 50m, LogIngestionGbPerMonth = 5m, LogStorageGb = 5m },
    };

    /// <summary>orders-dev: frontend 2 × 0.25 vCPU / 0.5 GB, backend 2 × 0.5 vCPU / 1 GB.</summary>
    private static readonly EnvironmentSpec OrdersDev = SpecSamples.Load(SpecSamples.OrdersDev);

    [Fact]
    public void EachLineIsQuantityTimesUnitPriceForAMonthOf730Hours()
    {
        var estimate = CostEstimator.Estimate(OrdersDev, "us-east-1", Table());

        // (key, quantity, unit price, amount): 2 tasks × 730 h = 1460 task-hours per service.
        var expected = new (string, decimal, decimal, decimal)[]
        {
            ("frontend.vcpu", 365m, 0.04048m, 14.78m),     // 1460 × 0.25 vCPU; 14.7752
            ("frontend.memory", 730m, 0.004445m, 3.24m),   // 1460 × 0.5 GB; 3.24485
            ("backend.vcpu", 730m, 0.04048m, 29.55m),      // 1460 × 0.5 vCPU; 29.5504
            ("backend.memory", 1460m, 0.004445m, 6.49m),   // 1460 × 1 GB; 6.4897
            ("alb.hours", 1460m, 0.0225m, 32.85m),         // 2 ALBs × 730 h
            ("alb.lcu", 1460m, 0.008m, 11.68m),            // 2 ALBs × 1 LCU × 730 h
            ("nat.hours", 730m, 0.045m, 32.85m),
            ("nat.data", 50m, 0.045m, 2.25m),
            ("ipv4", 2190m, 0.005m, 10.95m),               // 3 addresses (2 public ALB, 1 NAT EIP) × 730 h
            ("logs.ingestion", 5m, 0.50m, 2.50m),
            ("logs.storage", 5m, 0.03m, 0.15m),
        };
        Assert.Equal(expected, estimate.Lines.Select(l => (l.Key, l.Quantity, l.UnitPrice, l.Amount)));
        Assert.Equal(147.29m, estimate.MonthlyTotal);
        Assert.Equal(("us-east-1", "USD", new DateOnly(2026, 11, 1)), (estimate.Region, estimate.Currency, estimate.PricesAsOf));
        Assert.Contains(estimate.Assumptions, a => a.Contains("50 GB a month pass the NAT gateway"));
    }

    [Fact]
    public void TheTargetsRegionDecidesThePrices()
    {
        var targets = new TargetOptions
        {
            ["sandbox"] = new Target { Kind = TargetKind.Sandbox },
            ["prod"] = new Target { Kind = TargetKind.Aws, Region = "eu-west-1" },
        };
        var estimator = new CostEstimator(Options.Create(Table()), Options.Create(targets));

        var sandbox = estimator.Estimate(OrdersDev)!;
        var prod = estimator.Estimate(OrdersDev with { Target = "prod" })!;

        Assert.Equal("us-east-1", sandbox.Region); // a Sandbox target without a region signs for us-east-1
        Assert.Equal("eu-west-1", prod.Region);
        // ALB 1460 h × 0.0252 = 36.79, NAT 730 × 0.048 = 35.04 + 50 GB × 0.048 = 2.40, logs 5 × 0.57 = 2.85.
        Assert.Equal(147.29m + (36.79m - 32.85m) + (35.04m - 32.85m) + (2.40m - 2.25m) + (2.85m - 2.50m), prod.MonthlyTotal);
        Assert.Null(estimator.Estimate(OrdersDev with { Target = "nowhere" }));
    }

    [Fact]
    public void AnUpdateShowsTheDifferencePerLineAndInTotal()
    {
        var before = CostEstimator.Estimate(OrdersDev, "us-east-1", Table());
        var after = CostEstimator.Estimate(OrdersDev with { Frontend = OrdersDev.Frontend with { DesiredCount = 4 } }, "us-east-1", Table());

        var comparison = CostComparison.Between(before, after);

        // Frontend at 4 tasks: vCPU 730 × 0.04048 = 29.55 (was 14.78), memory 1460 × 0.004445 = 6.49 (was 3.24).
        Assert.Equal(18.02m, comparison.MonthlyDifference);
        var changed = comparison.Lines.Where(l => l.Difference != 0).Select(l => (l.Key, l.Before, l.After, l.Difference));
        Assert.Equal([("frontend.vcpu", 14.78m, 29.55m, 14.77m), ("frontend.memory", 3.24m, 6.49m, 3.25m)], changed);
    }

    [Fact]
    public void ACreateComparesWithNothingAndADestroySavesTheWholeEstimate()
    {
        var estimate = CostEstimator.Estimate(OrdersDev, "us-east-1", Table());

        var create = CostComparison.Between(null, estimate);
        var destroy = CostComparison.Between(estimate, null);

        Assert.Equal(147.29m, create.MonthlyDifference);
        Assert.All(create.Lines, l => Assert.Equal(0m, l.Before));
        Assert.Equal(-147.29m, destroy.MonthlyDifference);
        Assert.All(destroy.Lines, l => Assert.Equal(-l.Before, l.Difference));
        Assert.Equal(11, destroy.Lines.Count);
    }

    [Fact]
    public void AStoppedServiceCostsNoFargate()
    {
        var stopped = OrdersDev with { Backend = OrdersDev.Backend with { DesiredCount = 0 } };

        var estimate = CostEstimator.Estimate(stopped, "us-east-1", Table());

        Assert.Equal(0m, estimate.Lines.Single(l => l.Key == "backend.vcpu").Amount);
        Assert.Equal(147.29m - 29.55m - 6.49m, estimate.MonthlyTotal);
    }

    [Fact]
    public void TheSharedConfigurationPricesEveryRegionItsTargetsUse()
    {
        // The shipped files as a development run layers them: the sandbox target lives in the development settings.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Checkout.Root, "appsettings.json"))
            .AddJsonFile(Path.Combine(Checkout.Root, "appsettings.Development.json"))
            .Build();

        var services = Services(configuration);

        var table = services.GetRequiredService<IOptions<PriceTable>>().Value;
        Assert.NotNull(table.AsOf);
        Assert.Equal(0.04048m, table.Regions["us-east-1"].FargateVcpuHour);
        Assert.NotNull(services.GetRequiredService<CostEstimator>().Estimate(OrdersDev));
    }

    [Fact]
    public void ATargetInARegionWithoutPricesStopsTheStartNamingTheKey()
    {
        var configuration = Json("""
            { "Targets": { "prod": { "Kind": "Aws", "Region": "ap-south-1" } },
              "Pricing": { "AsOf": "2026-11-01", "Regions": { "us-east-1": { "FargateVcpuHour": 0.04048 } } } }
            """);

        var error = Assert.Throws<OptionsValidationException>(() => Services(configuration).GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Pricing:Regions:ap-south-1 is missing: target 'prod' deploys there", error.Message);
        Assert.Contains("Pricing:Regions:us-east-1:FargateGbHour is required.", error.Message);
    }

    [Fact]
    public void ATableWithoutADateOrWithANegativePriceIsRefused()
    {
        var table = Table();
        table.AsOf = null;
        table.Regions["us-east-1"].NatGatewayGb = -1m;
        table.Assumptions.NatDataGbPerMonth = -5m;

        var errors = PriceTableValidator.Errors(table, new TargetOptions());

        Assert.Equal(
        [
            "Pricing:AsOf is required: the date the prices were taken from AWS's pricing pages (e.g. 2026-11-01).",
            "Pricing:Regions:us-east-1:NatGatewayGb must not be negative (got -1).",
            "Pricing:Assumptions:NatDataGbPerMonth must not be negative (got -5).",
        ], errors);
    }

    private static ServiceProvider Services(IConfiguration configuration) =>
        new ServiceCollection().AddPortalInfra(configuration).AddPortalCostEstimates(configuration).BuildServiceProvider();

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
