using Portal.Tests.Environments;
using Portal.Web.Components.Approvals;

namespace Portal.Tests.Web;

/// <summary>What approvers see as a revision's changes against the deployed spec.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SpecDiffTests
{
    [Fact]
    public void AnUpdateShowsOnlyTheFieldsItChanges()
    {
        var deployed = SpecSamples.Load(SpecSamples.OrdersDev);
        var requested = deployed with
        {
            Frontend = deployed.Frontend with { Image = deployed.Frontend.Image with { Tag = "1.5.0" }, Secrets = [] },
        };

        var changes = SpecDiff.Between(deployed, requested);

        Assert.Equal(
            [
                new SpecChange("frontend.image.tag", "\"1.4.2\"", "\"1.5.0\""),
                new SpecChange("frontend.secrets[0].name", "\"API_KEY\"", null),
                new SpecChange("frontend.secrets[0].secretArn", "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf\"", null),
                new SpecChange("frontend.secrets[0].jsonKey", "\"apiKey\"", null),
            ],
            changes);
    }

    [Fact]
    public void AFirstDeployShowsEveryFieldAsAdded()
    {
        var requested = SpecSamples.Load(SpecSamples.OrdersDev);

        var changes = SpecDiff.Between(null, requested);

        Assert.All(changes, change => Assert.Null(change.Before));
        Assert.Contains(new SpecChange("backend.listenerPort", null, "80"), changes);
        Assert.Contains(new SpecChange("name", null, "\"orders-dev\""), changes);
    }

    [Fact]
    public void NoChangeIsAnEmptyDiff()
    {
        var spec = SpecSamples.Load(SpecSamples.PaymentsTest);

        Assert.Empty(SpecDiff.Between(spec, spec with { }));
    }
}
