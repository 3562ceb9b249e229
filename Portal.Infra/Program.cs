using System.Text.Json;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Infra;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var spec = JsonSerializer.Deserialize<EnvironmentSpec>(File.ReadAllText(args[0]), JsonSerializerOptions.Web)!;
        var r = await new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(spec, "alice"));
        Console.WriteLine(r.TemplateJson);
        return 0;
    }
}
