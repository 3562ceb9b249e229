namespace Portal.Infra.Environments;

/// <summary>
/// The task sizes Fargate accepts (ECS developer guide, "Task CPU and memory"; 8 and 16 vCPU need Linux
/// platform 1.4.0, the default). Memory in MiB per CPU unit value.
/// </summary>
public static class FargateSizes
{
    private static readonly IReadOnlyDictionary<int, IReadOnlyList<int>> MemoryByCpu = new Dictionary<int, IReadOnlyList<int>>
    {
        [256] = [512, 1024, 2048],
        [512] = Steps(1024, 4096, 1024),
        [1024] = Steps(2048, 8192, 1024),
        [2048] = Steps(4096, 16384, 1024),
        [4096] = Steps(8192, 30720, 1024),
        [8192] = Steps(16384, 61440, 4096),
        [16384] = Steps(32768, 122880, 8192),
    };

    /// <summary>The CPU unit values, smallest first (1024 units = 1 vCPU).</summary>
    public static IReadOnlyList<int> CpuValues { get; } = [.. MemoryByCpu.Keys.Order()];

    /// <summary>The memory sizes (MiB) allowed with <paramref name="cpu"/>; empty if the CPU value is not a Fargate one.</summary>
    public static IReadOnlyList<int> MemoryFor(int cpu) => MemoryByCpu.TryGetValue(cpu, out var memory) ? memory : [];

    public static bool IsValid(int cpu, int memoryMiB) => MemoryFor(cpu).Contains(memoryMiB);

    /// <summary>"512, 1024 or 2048", or "4096 to 16384 in steps of 1024" for the long runs.</summary>
    public static string DescribeMemoryFor(int cpu)
    {
        var memory = MemoryFor(cpu);
        return memory.Count > 3
            ? $"{memory[0]} to {memory[^1]} in steps of {memory[1] - memory[0]}"
            : SpecText.List(memory.Select(m => m.ToString()), "or");
    }

    private static int[] Steps(int from, int to, int step) =>
        [.. Enumerable.Range(0, (to - from) / step + 1).Select(i => from + i * step)];
}
