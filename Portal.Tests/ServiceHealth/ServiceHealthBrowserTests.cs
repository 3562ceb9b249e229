using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Tests.Environments;

namespace Portal.Tests.ServiceHealth;

/// <summary>
/// The environment page answers "why did it fail" and "is it healthy" without the AWS console: the real cause in the
/// failure banner beside CloudFormation's sentence, the services' reading under it, and a health panel for a deployed
/// environment whose services the architecture map colours.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class ServiceHealthBrowserTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task EachFailureKindIsNamedOnThePageAndADeployedEnvironmentShowsItsHealth()
    {
        // Every kind deploys at once; the page is then read for each.
        var failures = new (string Tier, string Tag, string Cause)[]
        {
            ("backend", "fail-exit", "backend: container exited with code 1; last log line: Error: start-up failed"),
            ("backend", "fail-pull", "backend: image …/backend:fail-pull not found (CannotPullContainerError)"),
            ("frontend", "fail-health", "frontend: health check on /health answered 404 (Target.ResponseCodeMismatch)"),
            ("frontend", "fail-secret", "frontend: could not read secret …:orders/api (ResourceInitializationError)"),
        };
        var names = failures.Select(f => PortalHost.UniqueName(f.Tag)).ToList();
        var healthy = PortalHost.UniqueName("healthy");
        await Task.WhenAll(failures.Select((f, i) =>
                host.SubmitAndApproveAsync(ServiceDiagnosisJobTests.Failing(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = names[i] }, f.Tier, f.Tag)))
            .Append(host.SubmitAndApproveAsync(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = healthy })));
        var alice = await chromium.SignInAsync(host, "alice");

        for (var i = 0; i < failures.Length; i++)
        {
            await host.RevisionReachesAsync(names[i], 1, "Failed");
            await Chromium.GoToAsync(alice, $"/environments/{names[i]}");
            var banner = alice.Locator("[data-testid=failure-banner]");
            await Assertions.Expect(banner.Locator("[data-testid=diagnosed-cause]")).ToContainTextAsync(failures[i].Cause);
            await Assertions.Expect(banner).ToContainTextAsync("ECS Deployment Circuit Breaker was triggered");
            var services = alice.Locator("[data-testid=deploy-services]");
            await Assertions.Expect(services.Locator($"[data-testid=service-row][data-component={failures[i].Tier}] [data-testid=service-state]"))
                .Not.ToHaveTextAsync("healthy");
            await Assertions.Expect(services.Locator($"[data-testid=service-details][data-component={failures[i].Tier}] [data-testid=stopped-tasks] li").First)
                .ToBeVisibleAsync();
            if (i == 0)
            {
                await Assertions.Expect(services.Locator("[data-testid=service-details][data-component=backend] [data-testid=log-lines]"))
                    .ToContainTextAsync("Error: start-up failed");
                await Chromium.ScreenshotAsync(alice, "deploy-diagnosed", 1280);
                await Chromium.ScreenshotAsync(alice, "deploy-diagnosed", 390);
                await alice.SetViewportSizeAsync(1280, 900);
            }
        }

        await host.RevisionReachesAsync(healthy, 1, "Deployed");
        await Chromium.GoToAsync(alice, $"/environments/{healthy}");
        var panel = alice.Locator("[data-testid=health-panel]");
        await Assertions.Expect(panel.Locator("[data-testid=health-state]")).ToHaveTextAsync("Healthy");
        foreach (var tier in new[] { "frontend", "backend" })
        {
            var row = panel.Locator($"[data-testid=service-row][data-component={tier}]");
            await Assertions.Expect(row.Locator("[data-testid=service-state]")).ToHaveTextAsync("healthy");
            await Assertions.Expect(row.Locator("[data-testid=service-tasks]")).ToHaveTextAsync("2 / 2");
            await Assertions.Expect(row.Locator("[data-testid=service-targets]")).ToHaveTextAsync("2 / 2");
            await Assertions.Expect(alice.Locator($"[data-testid=map-node][data-node={tier}]")).ToHaveAttributeAsync("data-status", "Healthy");
        }
    }
}
