using Portal.Infra.Synthesis;
using Portal.Tests.Environments;

namespace Portal.Tests.Synthesis;

/// <summary>
/// The process's jsii runtime is replaced after a number of synths, because jsii keeps every object a synth creates for
/// as long as its runtime lives; a replaced runtime's Node and files go with it.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class JsiiRuntimeTests
{
    [Fact]
    public async Task AReplacedRuntimeSynthesizesTheSameTemplateAndLeavesNoNodeOrFilesOfItsOwnBehind()
    {
        var synthesizer = new TemplateSynthesizer();
        var request = new SynthRequest(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = "runtime-replaced" }, "alice");
        var before = await synthesizer.SynthesizeAsync(request);
        var folder = JsiiTempFolder.Folder!;
        var firstNodes = NodesOf(folder);
        Assert.NotEmpty(firstNodes);

        var replaced = new List<SynthResult>();
        var usesPerRuntime = JsiiRuntime.UsesPerRuntime;
        JsiiRuntime.UsesPerRuntime = 1; // every synth starts a runtime of its own
        try
        {
            for (var i = 0; i < 2; i++)
                replaced.Add(await synthesizer.SynthesizeAsync(request));
        }
        finally
        {
            JsiiRuntime.UsesPerRuntime = usesPerRuntime;
        }

        Assert.All(replaced, result => Assert.Equal(before.TemplateJson, result.TemplateJson));
        // The replaced runtimes' Node processes have ended (jsii waits for them, killing one that lingers past 5 s).
        await Poll.UntilAsync(() => Task.FromResult(!NodesOf(folder).Intersect(firstNodes).Any()), "the first runtime's Node to exit", seconds: 30);
        Assert.NotEmpty(NodesOf(folder));
        // One Node kernel's folder, the running one's; nothing extracted is left (tarballs, the runtime bundle).
        Assert.Single(Directory.GetDirectories(folder, "jsii-kernel-*"));
        Assert.DoesNotContain(Directory.GetDirectories(folder), dir =>
            Directory.GetFiles(dir, "*.tgz").Length > 0 || File.Exists(Path.Combine(dir, "bin", "jsii-runtime.js")));
    }

    /// <summary>The processes naming the jsii folder on their command line: jsii's Node launcher and its runtime.</summary>
    private static HashSet<int> NodesOf(string folder)
    {
        var nodes = new HashSet<int>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(folder, StringComparison.Ordinal))
                    nodes.Add(pid);
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        return nodes;
    }
}
