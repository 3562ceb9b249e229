using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Web.Components.Requests;

namespace Portal.Tests.Web;

/// <summary>The size picker never leaves a CPU and memory pair that Fargate refuses.</summary>
[Trait(Lanes.Category, Lanes.Component)]
public sealed class FargateSizePickerTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public FargateSizePickerTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public async Task ChoosingACpuThatCannotKeepTheMemoryMovesItToTheSmallestValidSize()
    {
        var (cpu, memory) = (256, 2048);
        var picker = _context.Render<FargateSizePicker>(p => p
            .Add(x => x.IdPrefix, "frontend")
            .Add(x => x.Cpu, cpu).Add(x => x.CpuChanged, value => cpu = value)
            .Add(x => x.MemoryMiB, memory).Add(x => x.MemoryMiBChanged, value => memory = value));

        await picker.InvokeAsync(() => CpuSelect(picker).ValueChanged.InvokeAsync(1024));

        Assert.Equal((1024, 2048), (cpu, memory));
        await picker.InvokeAsync(() => CpuSelect(picker).ValueChanged.InvokeAsync(4096));
        Assert.Equal((4096, 8192), (cpu, memory));
    }

    [Fact]
    public void TheMemoryHintNamesTheSizesTheCpuAllows()
    {
        var picker = _context.Render<FargateSizePicker>(p => p.Add(x => x.IdPrefix, "backend").Add(x => x.Cpu, 512).Add(x => x.MemoryMiB, 1024));

        Assert.Contains("1024 to 4096 in steps of 1024 MiB", picker.Markup);
    }

    private static MudSelect<int> CpuSelect(IRenderedComponent<FargateSizePicker> picker) =>
        picker.FindComponents<MudSelect<int>>()[0].Instance;

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services dispose only asynchronously.
    public async Task DisposeAsync() => await _context.DisposeAsync();
}
