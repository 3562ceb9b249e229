using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Infra.Targets;
using Portal.Web.Components.Shared;

namespace Portal.Tests.Web;

/// <summary>The sandbox never passes for AWS: wherever a target is named, a simulated one says so.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class TargetNameTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public TargetNameTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddSingleton(Options.Create(new TargetOptions
        {
            ["sandbox"] = new Target { Kind = TargetKind.Sandbox },
            ["prod"] = new Target { Kind = TargetKind.Aws, Region = "eu-west-1" },
        }));
    }

    [Theory]
    [InlineData("sandbox", true)]
    [InlineData("prod", false)]
    public void ASandboxTargetIsLabelledSimulated(string target, bool simulated)
    {
        var name = _context.Render<TargetName>(p => p.Add(x => x.Name, target));

        Assert.Equal(target, name.Find("[data-testid=target]").TextContent);
        Assert.Equal(simulated ? 1 : 0, name.FindAll("[data-testid=simulated]").Count);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
