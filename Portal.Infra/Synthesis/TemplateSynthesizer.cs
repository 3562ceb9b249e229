using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Portal.Infra.Environments;
using Portal.Infra.Stacks;

namespace Portal.Infra.Synthesis;

/// <summary>What to synthesize: the spec and who asked for it (tagged on every resource).</summary>
public sealed record SynthRequest(EnvironmentSpec Spec, string? RequestedBy = null)
{
    /// <summary>
    /// Whether the template goes to CloudFormation and so must fit an inline TemplateBody. The literal-text
    /// guardrail's inert twin of a template is only compared, never deployed, and its placeholders may be longer.
    /// </summary>
    public bool Deployable { get; init; } = true;
}

/// <summary>A synthesized stack: minified template JSON and the resources it declares, counted by type.</summary>
public sealed record SynthResult(string StackName, string TemplateJson, IReadOnlyDictionary<string, int> ResourceCounts)
{
    public int TemplateBytes => System.Text.Encoding.UTF8.GetByteCount(TemplateJson);
    public int ResourceTotal => ResourceCounts.Values.Sum();

    /// <summary>Every resource's logical id and type, in template order.</summary>
    public IEnumerable<(string LogicalId, string Type)> Resources() =>
        JsonNode.Parse(TemplateJson)!["Resources"]!.AsObject().Select(r => (r.Key, (string)r.Value!["Type"]!));

    /// <summary>
    /// Every resource's logical id and the resources it waits for (DependsOn, Ref, Fn::GetAtt, Fn::Sub), as
    /// CloudFormation orders them: what the deploy ETA walks to find the critical path.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies() => TemplateDependencies.Of(TemplateJson);
}

/// <summary>A spec that cannot become a deployable template (e.g. beyond CloudFormation's inline size limit).</summary>
public sealed class SynthesisException(string message) : Exception(message);

public interface ITemplateSynthesizer
{
    Task<SynthResult> SynthesizeAsync(SynthRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Synthesizes <see cref="TwoTierEnvironment"/> stacks. jsii runs one Node process per .NET process and is not
/// thread-safe, so synths are serialized here; the Node process stays up between synths, which keeps them warm.
/// </summary>
public sealed class TemplateSynthesizer : ITemplateSynthesizer
{
    /// <summary>CloudFormation's limit for an inline TemplateBody; larger templates would need an S3 bucket.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    // Static: the jsii runtime is per process, so every instance must share one gate.
    private static readonly SemaphoreSlim Jsii = new(1, 1);

    public Task<SynthResult> SynthesizeAsync(SynthRequest request, CancellationToken cancellationToken = default) =>
        RunJsiiAsync(folder => Synthesize(request, folder), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/>, which calls into jsii, alone in the process, off the caller's thread and with the
    /// process's jsii temp folder (<see cref="JsiiTempFolder"/>), which it is given.
    /// </summary>
    internal static async Task<T> RunJsiiAsync<T>(Func<string, T> work, CancellationToken cancellationToken)
    {
        await Jsii.WaitAsync(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // jsii calls block; keep them off the caller's thread (a Blazor circuit or a Hangfire worker).
            return await Task.Run(() => JsiiTempFolder.Run(work), CancellationToken.None);
        }
        finally
        {
            Jsii.Release();
        }
    }

    private static SynthResult Synthesize(SynthRequest request, string tempFolder)
    {
        // In the process's own temp folder, so a synth cut short by a kill is swept with it.
        var outdir = Directory.CreateDirectory(Path.Combine(tempFolder, "synth-" + Path.GetRandomFileName()));
        try
        {
            var app = new App(new AppProps { Outdir = outdir.FullName, AnalyticsReporting = false, TreeMetadata = false });
            var stack = new TwoTierEnvironment(app, request.Spec, request.RequestedBy);
            var assembly = app.Synth();
            var path = Path.Combine(assembly.Directory, assembly.GetStackArtifact(stack.ArtifactId).TemplateFile);
            var template = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var json = template.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
            var bytes = System.Text.Encoding.UTF8.GetByteCount(json);
            if (request.Deployable && bytes > MaxTemplateBodyBytes)
                throw new SynthesisException(
                    $"The template for {request.Spec.Name} is {bytes:N0} bytes, {bytes - MaxTemplateBodyBytes:N0} over CloudFormation's " +
                    $"{MaxTemplateBodyBytes:N0}-byte limit for an inline TemplateBody. Reduce environment variables or secrets.");
            return new SynthResult(stack.StackName, json, CountResources(template));
        }
        finally
        {
            outdir.Delete(recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, int> CountResources(JsonObject template) =>
        template["Resources"]!.AsObject()
            .GroupBy(r => (string)r.Value!["Type"]!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
}
