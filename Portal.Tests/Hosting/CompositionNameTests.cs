using System.Reflection;
using System.Runtime.CompilerServices;

namespace Portal.Tests.Hosting;

/// <summary>
/// A registration is found by its name: Program.cs calls each project's DependencyInjection methods, and an
/// <c>Add*</c>, <c>Use*</c> or <c>Map*</c> that two types define (with two meanings) sends a reader to the wrong one.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CompositionNameTests
{
    private static readonly string[] Prefixes = ["Add", "Use", "Map"];

    [Fact]
    public void NoTwoPublicAddUseOrMapExtensionMethodsOfThePortalShareAName()
    {
        var methods = PortalAssemblies()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.IsDefined(typeof(ExtensionAttribute), false))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(ExtensionAttribute), false) && Prefixes.Any(p => m.Name.StartsWith(p, StringComparison.Ordinal)))
            .ToList();

        var shared = methods.GroupBy(m => m.Name)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.DeclaringType!.FullName} ({m.DeclaringType.Assembly.GetName().Name})"))}")
            .ToList();

        // The scan reaches every project's composition.
        Assert.All(new[] { "AddPortalInfra", "AddPortalWorkflow", "AddPortalWeb" }, name => Assert.Contains(methods, m => m.Name == name));
        Assert.Empty(shared);
    }

    /// <summary>The web host's assembly and every portal assembly it references, directly or not.</summary>
    private static IReadOnlyList<Assembly> PortalAssemblies()
    {
        var found = new Dictionary<string, Assembly>();
        var pending = new Queue<Assembly>([typeof(Program).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly)) continue;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Portal.", StringComparison.Ordinal)))
                pending.Enqueue(Assembly.Load(reference));
        }
        return [.. found.Values];
    }
}
