using Portal.Infra.Cli;
using Portal.Infra.Environments;
using Portal.Tests.Environments;

namespace Portal.Tests.Engine;

/// <summary>
/// Runs apart from every other test: the commands read their configuration as the CLI does (the shared
/// appsettings beside the binaries, then environment variables), and these tests set environment variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliEnvironmentCollection
{
    public const string Name = "CLI commands (process environment)";
}

/// <summary><c>plan</c>, <c>deploy</c> and <c>destroy</c> against the "sandbox" target of the shared appsettings.</summary>
[Collection(CliEnvironmentCollection.Name)]
public sealed class CliCommandTests : IDisposable
{
    // A test-speed sandbox and watcher, set the way an operator would: environment variables over appsettings.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Sandbox__TimeScale"] = "0.001",
        ["StackEvents__ActiveInterval"] = "00:00:00.020",
        ["StackEvents__QuietInterval"] = "00:00:00.100",
    };

    private readonly Dictionary<string, string?> _previous = Settings.ToDictionary(s => s.Key, s => Environment.GetEnvironmentVariable(s.Key));
    private readonly List<string> _files = [];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public CliCommandTests()
    {
        foreach (var (name, value) in Settings)
            Environment.SetEnvironmentVariable(name, value);
    }

    [Fact]
    public async Task Deploy_prints_each_event_and_the_outputs_and_exits_0_when_the_stack_is_created()
    {
        var exit = await RunAsync(DeployCommands.DeployAsync, "deploy", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "sandbox");

        Assert.True(exit == 0, $"exit {exit}: {_error}");
        var output = _output.ToString();
        Assert.Contains("CREATE portal-orders-dev: 50 changes", output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d \[ *50/50 *\] CREATE_COMPLETE +AWS::CloudFormation::Stack +portal-orders-dev\r?$", output);
        Assert.Matches(@"(?m)^CREATE_COMPLETE\r?$", output);
        Assert.Matches(@"(?m)^  PublicUrl = http://portal-[\w-]*PublicAl-\S+\.elb\.amazonaws\.com\r?$", output);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task Deploy_of_a_failing_image_exits_1_and_prints_the_root_cause()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        var failing = WriteSpec(spec with { Frontend = spec.Frontend with { Image = spec.Frontend.Image with { Tag = "fail-2.0.0" } } });

        var exit = await RunAsync(DeployCommands.DeployAsync, "deploy", "--spec", failing, "--target", "sandbox");

        Assert.Equal(1, exit);
        Assert.Matches(@"^ROLLBACK_COMPLETE: FrontendService\w+ \(AWS::ECS::Service\): Resource handler returned message: " +
                       @""".*ECS Deployment Circuit Breaker was triggered", _error.ToString());
        Assert.Contains("ROLLBACK_COMPLETE", _output.ToString());
    }

    [Fact]
    public async Task Plan_prints_the_change_sets_changes()
    {
        var exit = await RunAsync(DeployCommands.PlanAsync, "plan", "--spec", SpecSamples.Path(SpecSamples.PaymentsTest), "--target", "sandbox");

        Assert.True(exit == 0, $"exit {exit}: {_error}");
        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^CREATE portal-payments-test: \d+ changes$", lines[0]);
        Assert.Equal(int.Parse(lines[0].Split(' ')[2]), lines.Length - 1);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Add +AWS::ElasticLoadBalancingV2::LoadBalancer +PublicAlb\w+$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Add +AWS::ECS::Service +BackendService\w+$"));
    }

    [Fact]
    public async Task Destroy_of_a_stack_that_does_not_exist_says_so_and_exits_0()
    {
        var exit = await RunAsync(DeployCommands.DestroyAsync, "destroy", "--name", "orders-dev", "--target", "sandbox");

        Assert.Equal(0, exit);
        Assert.Equal("Stack portal-orders-dev does not exist on this target: nothing to destroy.", _output.ToString().Trim());
    }

    [Fact]
    public async Task Synth_writes_the_minified_template_named_after_the_stack_and_prints_its_path()
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"portal-cli-out-{Guid.NewGuid():N}");
        _files.Add(outDir);

        var exit = await RunAsync(SynthCommand.RunAsync, "synth", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--out", outDir);

        Assert.Equal(0, exit);
        var path = _output.ToString().Trim();
        Assert.Equal(Path.Combine(outDir, "portal-orders-dev.template.json"), path);
        var template = File.ReadAllText(path);
        Assert.DoesNotContain('\n', template);
        Assert.True(Portal.Infra.Guardrails.SecurityChainCheck.Check(template).Passed);
    }

    [Fact]
    public async Task Synth_of_an_invalid_spec_exits_2_and_prints_every_error_as_path_and_message()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        var invalid = WriteSpec(spec with
        {
            Name = "Orders_Dev",
            Backend = spec.Backend with { ListenerPort = 70000, MemoryMiB = 3000 },
        });

        var exit = await RunAsync(SynthCommand.RunAsync, "synth", "--spec", invalid);

        Assert.Equal(2, exit);
        var errors = _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["backend.listenerPort", "backend.memoryMiB", "name"], errors.Select(e => e[..e.IndexOf(':')]).Order());
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public async Task An_unknown_target_is_a_usage_error_naming_the_configured_ones()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() =>
            RunAsync(DeployCommands.PlanAsync, "plan", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "prod"));

        Assert.Equal("--target: unknown target \"prod\"; configured: sandbox", error.Message);
    }

    private async Task<int> RunAsync(Func<CommandLine, TextWriter, TextWriter, CancellationToken, Task<int>> command, params string[] args)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // includes the first jsii synth
        var options = args.Where((_, i) => i % 2 == 1).Select(a => a[2..]).ToArray();
        return await command(CommandLine.Parse(args, options), _output, _error, deadline.Token);
    }

    private string WriteSpec(EnvironmentSpec spec)
    {
        var path = Path.Combine(Path.GetTempPath(), $"portal-cli-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, EnvironmentSpecJson.Serialize(spec));
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
            Environment.SetEnvironmentVariable(name, value);
        foreach (var file in _files)
        {
            if (Directory.Exists(file)) Directory.Delete(file, recursive: true);
            else File.Delete(file);
        }
    }
}
