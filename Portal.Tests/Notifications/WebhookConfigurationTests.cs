using Portal.Infra.Targets;

namespace Portal.Tests.Notifications;

/// <summary>Bad webhook and expiry settings are refused at start-up, naming the entry and never echoing a URL.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class WebhookConfigurationTests
{
    [Fact]
    public void AWebhookThatIsNoUrlIsNamedByItsEntryWithoutItsValue()
    {
        var targets = new TargetOptions
        {
            ["prod"] = new Target
            {
                Kind = TargetKind.Sandbox,
                Webhooks = ["https://hooks.example.test/services/ok", "hooks.example.test/services/s3cr3t"],
                Expiry = new TargetExpiry { MaxDays = 0 },
            },
        };

        var errors = TargetOptionsValidator.Errors(targets);

        Assert.Contains("Targets:prod:Webhooks:1 is not an absolute http(s) URL.", errors);
        Assert.Contains("Targets:prod:Expiry:MaxDays must be between 1 and 3650 (got 0).", errors);
        Assert.DoesNotContain(errors, e => e.Contains("s3cr3t") || e.Contains("Webhooks:0"));
    }
}
