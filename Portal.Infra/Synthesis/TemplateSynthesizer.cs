using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Portal.Infra.Stacks;

namespace Portal.Infra.Synthesis;

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
    private static int _waiting;

    /// <summary>Synths waiting for the process's jsii runtime now (for diagnostics).</summary>
    internal static int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Whether a synth holds the process's jsii runtime now (for diagnostics).</summary>
    internal static bool Running => Jsii.CurrentCount == 0;

    public Task<IReadOnlyList<SynthResult>> SynthesizeAsync(IReadOnlyList<SynthRequest> requests, CancellationToken cancellationToken = default) =>
        RunJsiiAsync<IReadOnlyList<SynthResult>>(folder => [.. requests.Select(request => Synthesize(request, folder))], cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/>, which calls into jsii, alone in the process, off the caller's thread and with the
    /// process's jsii temp folder (<see cref="JsiiTempFolder"/>), which it is given.
    /// </summary>
    internal static async Task<T> RunJsiiAsync<T>(Func<string, T> work, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await Jsii.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
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
            var app = new App(new AppProps
            {
                Outdir = outdir.FullName,
                AnalyticsReporting = false,
                TreeMetadata = false,
                // No logical ids in the manifest: CDK validated them against its schema on every synth, and nothing reads them.
                Context = new Dictionary<string, object> { ["aws:cdk:disable-logicalId-metadata"] = true },
            });
            var stack = new TwoTierEnvironment(app, request.Spec, request.RequestedBy);
            // Asked before synthesis: reading the cloud assembly back would cost a jsii round trip per step.
            var templateFile = stack.TemplateFile;
            app.Synth();
            var template = JsonNode.Parse(File.ReadAllText(Path.Combine(outdir.FullName, templateFile)))!.AsObject();
            var json = template.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
            var bytes = System.Text.Encoding.UTF8.GetByteCount(json);
            if (request.Deployable && bytes > MaxTemplateBodyBytes)
                throw new SynthesisException(
                    $"The template for {request.Spec.Name} is {bytes:N0} bytes, {bytes - MaxTemplateBodyBytes:N0} over CloudFormation's " +
                    $"{MaxTemplateBodyBytes:N0}-byte limit for an inline TemplateBody. Reduce environment variables or secrets.");
            return new SynthResult(request.Spec.StackName, json, CountResources(template));
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
