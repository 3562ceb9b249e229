using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infra.Costs;
using Portal.Infra.Environments;
using Portal.Tests.Api;
using Portal.Tests.Environments;

namespace Portal.Tests.Costs;

/// <summary>The revision resource carries its monthly estimate and what it changes against the deployed revision.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class CostApiTests(PortalHost host)
{
    [Fact]
    public async Task ARevisionCarriesItsEstimateAndTheDifferenceAgainstTheDeployedRevision()
    {
        var name = await host.DeployedForAliceAsync("cost");
        var sample = SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name };
        var scaled = sample with { Frontend = sample.Frontend with { DesiredCount = 4 } };
        var costs = host.Services.GetRequiredService<CostEstimator>();
        var deployedTotal = costs.Estimate(sample)!.MonthlyTotal;

        var create = await EstimateAsync(name, 1);
        using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(EnvironmentSpecJson.Serialize(scaled)));
        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        var change = await EstimateAsync(name, 2);

        // Revision 1 is deployed now, so it compares with itself; before its deploy it compared with nothing.
        Assert.Equal(deployedTotal, create.GetProperty("monthlyTotal").GetDecimal());
        Assert.Equal(0m, create.GetProperty("delta").GetProperty("monthlyDifference").GetDecimal());
        Assert.Equal("USD", create.GetProperty("currency").GetString());
        Assert.Equal(host.Services.GetRequiredService<IOptions<PriceTable>>().Value.AsOf!.Value.ToString("yyyy-MM-dd"),
            create.GetProperty("pricesAsOf").GetString());
        Assert.Equal(11, create.GetProperty("lines").GetArrayLength());
        var line = create.GetProperty("lines")[0];
        Assert.Equal(("frontend.vcpu", "vCPU-hours"), (line.GetProperty("key").GetString(), line.GetProperty("unit").GetString()));
        Assert.Equal(line.GetProperty("quantity").GetDecimal() * line.GetProperty("unitPrice").GetDecimal(), line.GetProperty("amount").GetDecimal(), 2);

        var expected = costs.Compare(sample, scaled);
        Assert.Equal(expected.After!.MonthlyTotal, change.GetProperty("monthlyTotal").GetDecimal());
        var delta = change.GetProperty("delta");
        Assert.Equal(1, delta.GetProperty("comparedWithRevision").GetInt32());
        Assert.Equal(expected.MonthlyDifference, delta.GetProperty("monthlyDifference").GetDecimal());
        Assert.True(expected.MonthlyDifference > 0);
        Assert.Equal(["frontend.vcpu", "frontend.memory"], delta.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("difference").GetDecimal() != 0).Select(l => l.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task ADestroyShowsTheSaving()
    {
        var name = await host.DeployedForAliceAsync("cost-destroy");
        var deployedTotal = host.Services.GetRequiredService<CostEstimator>()
            .Estimate(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name })!.MonthlyTotal;

        using var destroy = await host.Api("alice").DeleteAsync($"/api/environments/{name}");
        var estimate = await EstimateAsync(name, (await destroy.JsonAsync()).GetProperty("number").GetInt32());

        Assert.Equal(0m, estimate.GetProperty("monthlyTotal").GetDecimal());
        Assert.Equal(0, estimate.GetProperty("lines").GetArrayLength());
        Assert.Equal(-deployedTotal, estimate.GetProperty("delta").GetProperty("monthlyDifference").GetDecimal());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheEstimate()
    {
        using var response = await host.Api(null).GetAsync("/openapi/v1.json");

        var schemas = (await response.JsonAsync()).GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("RevisionResource").GetProperty("properties").TryGetProperty("estimate", out _));
        Assert.True(schemas.GetProperty("CostEstimateResource").GetProperty("properties").TryGetProperty("delta", out _));
    }

    private async Task<JsonElement> EstimateAsync(string name, int number)
    {
        using var response = await host.Api("bob").GetAsync($"/api/environments/{name}/revisions/{number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("estimate");
    }
}
