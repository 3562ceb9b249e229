using Microsoft.AspNetCore.Components;
using Portal.Infra.Environments;

namespace Portal.Web.Components.Requests;

/// <summary>
/// CPU and memory for a Fargate task, offering only the pairs Fargate accepts (<see cref="FargateSizes"/>): the memory
/// list follows the CPU, and a CPU change that leaves the memory invalid moves it to the smallest valid size.
/// </summary>
public partial class FargateSizePicker
{
    /// <summary>The tier these fields belong to ("Frontend", "Backend"): each field's name says it, so a screen reader tells the two apart.</summary>
    [Parameter, EditorRequired] public string Tier { get; set; } = "";

    /// <summary>CPU units (1024 = 1 vCPU).</summary>
    [Parameter] public int Cpu { get; set; }

    [Parameter] public EventCallback<int> CpuChanged { get; set; }

    /// <summary>Memory in MiB.</summary>
    [Parameter] public int MemoryMiB { get; set; }

    [Parameter] public EventCallback<int> MemoryMiBChanged { get; set; }

    /// <summary>The validator's message for the CPU field, if shown.</summary>
    [Parameter] public string? CpuError { get; set; }

    /// <summary>The validator's message for the memory field, if shown.</summary>
    [Parameter] public string? MemoryError { get; set; }

    /// <summary>Prefix of the inputs' ids (e.g. <c>frontend</c>).</summary>
    [Parameter, EditorRequired] public string IdPrefix { get; set; } = "";

    private async Task OnCpuChangedAsync(int cpu)
    {
        await CpuChanged.InvokeAsync(cpu);
        if (!FargateSizes.IsValid(cpu, MemoryMiB) && FargateSizes.MemoryFor(cpu) is [var smallest, ..])
        {
            await MemoryMiBChanged.InvokeAsync(smallest);
        }
    }

    private Task OnMemoryChangedAsync(int memory) => MemoryMiBChanged.InvokeAsync(memory);

    private static string DescribeCpu(int cpu) => $"{cpu / 1024.0:0.##} vCPU ({cpu})";

    private static string DescribeMemory(int memory) => $"{memory / 1024.0:0.#} GB ({memory} MiB)";
}
