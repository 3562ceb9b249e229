using Portal.Infra.Synthesis;

namespace Portal.Infra.Cli;

/// <summary><c>synth --spec FILE [--out DIR]</c>: writes DIR/&lt;stack name&gt;.template.json and prints its path.</summary>
internal static class SynthCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var spec = SpecFile.Read(line.Required("spec"), error);
        if (spec is null) return ExitCodes.InvalidSpec;
        var result = await new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(spec, Environment.UserName), ct);
        var dir = Directory.CreateDirectory(line.Optional("out") ?? "cdk.out");
        var path = Path.Combine(dir.FullName, $"{result.StackName}.template.json");
        await File.WriteAllTextAsync(path, result.TemplateJson, ct);
        output.WriteLine(path);
        return ExitCodes.Ok;
    }
}
