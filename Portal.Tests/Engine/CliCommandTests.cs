using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Cli;
using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Sandbox;
using Portal.Tests.Environments;
using Portal.Tests.Sandbox;

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

/// <summary><c>plan</c>, <c>deploy</c> and <c>destroy</c> against the "sandbox" target of the development settings.</summary>
[Collection(CliEnvironmentCollection.Name)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class CliCommandTests : IDisposable
{
    // The development settings (the sandbox target) and a test-speed sandbox and watcher, set the way an operator would:
    // environment variables over appsettings.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Sandbox__TimeScale"] = "0.001",
        ["StackEvents__ActiveInterval"] = "00:00:00.020",
        ["StackEvents__QuietInterval"] = "00:00:00.100",
    };

    private readonly Dictionary<string, string?> _previous = [];
    private readonly List<string> _files = [];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public CliCommandTests()
    {
        foreach (var (name, value) in Settings)
            SetVariable(name, value);
    }

    [Fact]
    public async Task DeployPrintsEachEventAndTheOutputsAndExits0WhenTheStackIsCreated()
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
    public async Task DeployOfAFailingImageExits1AndPrintsTheRealCauseThenCloudFormationsRootCause()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        var failing = WriteSpec(spec with { Frontend = spec.Frontend with { Image = spec.Frontend.Image with { Tag = "fail-2.0.0" } } });

        var exit = await RunAsync(DeployCommands.DeployAsync, "deploy", "--spec", failing, "--target", "sandbox");

        Assert.Equal(1, exit);
        Assert.Matches(@"^frontend: container exited with code 1; last log line: Error: start-up failed: [^\r\n]+\r?\n" +
                       @"CloudFormation: ROLLBACK_COMPLETE: FrontendService\w+ \(AWS::ECS::Service\): Resource handler returned message: " +
                       @""".*ECS Deployment Circuit Breaker was triggered", _error.ToString());
        Assert.Contains("ROLLBACK_COMPLETE", _output.ToString());
    }

    [Fact]
    public async Task StatusOfAHealthyEnvironmentPrintsItsServicesTasksAndTargetsAndExits0()
    {
        await using var sandbox = await SharedSandboxAsync();
        await DeployOrdersDevAsync();

        var exit = await RunCliAsync("status", "--name", "orders-dev", "--target", "sandbox");

        Assert.True(exit == 0, $"exit {exit}: {_error}");
        var output = _output.ToString();
        Assert.Matches(@"(?m)^portal-orders-dev: CREATE_COMPLETE\r?$", output);
        Assert.Matches(@"(?m)^frontend \(frontend-service, ACTIVE\): healthy, tasks 2/2 running, 0 pending, targets 2/2 healthy\r?$", output);
        Assert.Matches(@"(?m)^backend \(backend-service, ACTIVE\): healthy, tasks 2/2 running, 0 pending, targets 2/2 healthy\r?$", output);
        Assert.Matches(@"(?m)^  \d\d:\d\d:\d\d \(service frontend-service\) has reached a steady state\.\r?$", output);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task StatusOfAFailedEnvironmentPrintsTheStoppedTasksAndLogsAndExits1WithTheCause()
    {
        await using var sandbox = await SharedSandboxAsync();
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        var failing = WriteSpec(spec with { Backend = spec.Backend with { Image = spec.Backend.Image with { Tag = "fail-exit", Digest = null } } });
        Assert.Equal(1, await RunCliAsync("deploy", "--spec", failing, "--target", "sandbox"));
        _output.GetStringBuilder().Clear();
        _error.GetStringBuilder().Clear();

        var exit = await RunCliAsync("status", "--name", "orders-dev", "--target", "sandbox");

        Assert.Equal(1, exit);
        var output = _output.ToString();
        Assert.Matches(@"(?m)^portal-orders-dev: ROLLBACK_COMPLETE\r?$", output);
        Assert.Matches(@"(?m)^backend \(backend-service, INACTIVE\): NOT HEALTHY, tasks 0/\d running", output);
        Assert.Matches(@"(?m)^  stopped [0-9a-f]{32} EssentialContainerExited: Essential container in task exited \(app exit 1\)\r?$", output);
        Assert.Matches(@"(?m)^  log \d\d:\d\d:\d\d Error: start-up failed: ", output);
        Assert.Matches(@"^backend: container exited with code 1; last log line: Error: start-up failed: ", _error.ToString());
    }

    [Fact]
    public async Task StatusOfAStackThatDoesNotExistExits1AndOfAMissingOptionExits2()
    {
        var missing = await RunCliAsync("status", "--name", "orders-dev", "--target", "sandbox");
        var missingError = _error.ToString();
        _error.GetStringBuilder().Clear();
        var bad = await RunCliAsync("status", "--name", "orders-dev");

        Assert.Equal(1, missing);
        Assert.Equal("Stack portal-orders-dev does not exist on this target: never deployed, destroyed, or deleted outside the portal.", missingError.Trim());
        Assert.Equal(2, bad);
        Assert.Contains("--target", _error.ToString());
    }

    [Fact]
    public async Task PlanPrintsTheChangeSetsChanges()
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
    public async Task DestroyOfAStackThatDoesNotExistSaysSoAndExits0()
    {
        var exit = await RunAsync(DeployCommands.DestroyAsync, "destroy", "--name", "orders-dev", "--target", "sandbox");

        Assert.Equal(0, exit);
        Assert.Equal("Stack portal-orders-dev does not exist on this target: nothing to destroy.", _output.ToString().Trim());
    }

    [Fact]
    public async Task DestroyPrintsEachEventWithProgressOverTheStacksResourcesAndExits0WhenDeleted()
    {
        await using var sandbox = await SharedSandboxAsync();
        await DeployOrdersDevAsync();

        var exit = await RunCliAsync("destroy", "--name", "orders-dev", "--target", "sandbox");

        Assert.True(exit == 0, $"exit {exit}: {_error}");
        var output = _output.ToString();
        Assert.Matches(@"(?m)^DELETE portal-orders-dev: 50 resources\r?$", output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d \[ *\d+/50 *\] DELETE_IN_PROGRESS +AWS::CloudFormation::Stack +portal-orders-dev  User Initiated\r?$", output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d \[ *50/50 *\] DELETE_COMPLETE +AWS::CloudFormation::Stack +portal-orders-dev\r?$", output);
        Assert.Matches(@"(?m)^DELETE_COMPLETE\r?$", output);
        Assert.DoesNotContain("?", output);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task DestroyThatAResourceBlocksExits1WithTheResourceThatFailedToDelete()
    {
        await using var sandbox = await SharedSandboxAsync();
        var deployed = await DeployOrdersDevAsync();
        var securityGroup = System.Text.RegularExpressions.Regex.Match(deployed, @"CREATE_COMPLETE +AWS::EC2::SecurityGroup +(\w+)").Groups[1].Value;
        sandbox.CloudFormation.AddDependentObject("portal-orders-dev", securityGroup);

        var exit = await RunCliAsync("destroy", "--name", "orders-dev", "--target", "sandbox");

        Assert.Equal(1, exit);
        Assert.Matches($@"^DELETE_FAILED: {securityGroup} \(AWS::EC2::SecurityGroup\): Resource handler returned message: ""resource sg-\w+ has a dependent object",
            _error.ToString());
        Assert.Matches($@"(?m)^\d\d:\d\d:\d\d \[ *\d+/50 *\] DELETE_FAILED +AWS::EC2::SecurityGroup +{securityGroup} ", _output.ToString());
        Assert.Matches(@"(?m)\] DELETE_FAILED +AWS::CloudFormation::Stack +portal-orders-dev +The following resource\(s\) failed to delete", _output.ToString());
    }

    [Fact]
    public async Task SynthWritesTheMinifiedTemplateNamedAfterTheStackAndPrintsItsPath()
    {
        var outDir = Path.Combine(TestEnvironment.TempRoot, $"portal-cli-out-{Guid.NewGuid():N}");
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
    public async Task SynthOfAnInvalidSpecExits2AndPrintsEveryErrorAsPathAndMessage()
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
    public async Task CdkAppWritesTheTemplateOfTheSpecInTheContextToCDKOUTDIR()
    {
        // As the CDK CLI runs the app cdk.json names: a process of its own (jsii's Node reads the environment once, at its
        // start), told the output folder and the -c context through the environment.
        var outDir = Path.Combine(TestEnvironment.TempRoot, $"portal-cdk-out-{Guid.NewGuid():N}");
        _files.Add(outDir);
        var start = ChildProcess.Dotnet(Checkout.Assembly("Portal.Infra"), new Dictionary<string, string>
        {
            ["CDK_OUTDIR"] = outDir,
            ["CDK_CONTEXT_JSON"] = System.Text.Json.JsonSerializer.Serialize(new { spec = SpecSamples.Path(SpecSamples.PaymentsTest) }),
        });
        start.ArgumentList.Add("cdk-app");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await ChildProcess.RunAsync(start, deadline.Token);

        var template = File.ReadAllText(Path.Combine(outDir, "portal-payments-test.template.json"));
        Assert.True(Portal.Infra.Guardrails.SecurityChainCheck.Check(template).Passed);
        Assert.Contains("\"portal-payments-test\"", File.ReadAllText(Path.Combine(outDir, "manifest.json")));
    }

    [Fact]
    public async Task SetupTargetDeploysTheIntakeOncePrintsTheQueueSettingAndChangesNothingTheSecondTime()
    {
        await using var sandbox = await SharedSandboxAsync();

        var exit = await RunCliAsync("setup-target", "--target", "sandbox");

        Assert.True(exit == 0, $"exit {exit}: {_error}");
        var output = _output.ToString();
        Assert.Matches(@"(?m)^CREATE PortalStackEventIntake: 5 changes\r?$", output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d \[ *5/5 *\] CREATE_COMPLETE +AWS::CloudFormation::Stack +PortalStackEventIntake\r?$", output);
        var setting = System.Text.RegularExpressions.Regex.Match(output,
            @"(?m)^Set Targets:sandbox:StackEventQueueUrl=(\S+) \(environment: Targets__sandbox__StackEventQueueUrl\) on every portal process\.\r?$");
        Assert.True(setting.Success, output);
        Assert.Contains("/123456789012/PortalStackEventIntake-Queue", setting.Groups[1].Value);
        Assert.Equal("", _error.ToString());

        _output.GetStringBuilder().Clear();
        var again = await RunCliAsync("setup-target", "--target", "sandbox");
        Assert.True(again == 0, $"exit {again}: {_error}{_output}");
        Assert.Matches(@"(?m)^UPDATE PortalStackEventIntake: no changes\r?$", _output.ToString());
        Assert.Contains(setting.Value.Trim(), _output.ToString());
    }

    [Fact]
    public async Task OutsideDevelopmentThereIsNoSandboxTarget()
    {
        SetVariable("DOTNET_ENVIRONMENT", null);

        var error = await Assert.ThrowsAsync<UsageException>(() =>
            RunAsync(DeployCommands.PlanAsync, "plan", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "sandbox"));

        Assert.Equal("--target: unknown target \"sandbox\"; configured: none", error.Message);
    }

    [Fact]
    public async Task AnUnknownTargetIsAUsageErrorNamingTheConfiguredOnes()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() =>
            RunAsync(DeployCommands.PlanAsync, "plan", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "prod"));

        Assert.Equal("--target: unknown target \"prod\"; configured: sandbox", error.Message);
    }

    [Fact]
    public async Task ASpecWhoseTemplateExceedsTheInlineLimitExits2NamingTheLimitAndTheExcess()
    {
        var oversized = WriteSpec(OversizedSpec());

        var exit = await RunCliAsync("plan", "--spec", oversized, "--target", "sandbox");

        Assert.Equal(2, exit);
        Assert.Matches(@"^The template for orders-dev is [\d,]+ bytes, [\d,]+ over CloudFormation's 51,200-byte limit for an inline TemplateBody\. .+\r?\n$",
            _error.ToString());
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public async Task APlanCloudFormationRefusesBecauseTheStackIsBusyExits1WithItsReason()
    {
        // A stack that stays CREATE_IN_PROGRESS for a while (a load balancer takes 150 s × 0.2) on a sandbox the command shares.
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.2 }, CancellationToken.None);
        SetVariable("Targets__sandbox__ServiceUrl", sandbox.Url.ToString());
        await StartCreatingAsync(sandbox, "portal-orders-dev", """{"Resources":{"Alb":{"Type":"AWS::ElasticLoadBalancingV2::LoadBalancer","Properties":{}}}}""");

        var exit = await RunCliAsync("plan", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "sandbox");

        Assert.Equal(1, exit);
        Assert.Matches(@"^CloudFormation refused the change set: ValidationError: Stack:arn:aws:cloudformation:\S+ is in CREATE_IN_PROGRESS state and can not be updated\.\r?\n$",
            _error.ToString());
    }

    [Fact]
    public async Task CredentialsCloudFormationRejectsExit1WithItsErrorInOneLine()
    {
        await using var endpoint = await RefusingEndpoint.StartAsync(HttpStatusCode.Forbidden, "InvalidClientTokenId",
            "The security token included in the request is invalid.");
        SetVariable("Targets__denied__Kind", "Aws");
        SetVariable("Targets__denied__Region", "us-east-1");
        SetVariable("Targets__denied__ServiceUrl", endpoint.Url);

        var exit = await RunCliAsync("deploy", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "denied");

        Assert.Equal(1, exit);
        Assert.Matches(@"^CloudFormation DescribeStacks failed: InvalidClientTokenId: The security token included in the request is invalid\. \(HTTP 403, request [\w-]+\)\r?\n$",
            _error.ToString());
    }

    [Fact]
    public async Task AnUnknownCommandPrintsTheUsageAndExits2()
    {
        var exit = await RunCliAsync("apply", "--spec", "x.json");

        Assert.Equal(2, exit);
        Assert.StartsWith("usage: Portal.Infra synth --spec FILE", _error.ToString());
    }

    private async Task<int> RunAsync(Func<CommandLine, TextWriter, TextWriter, CancellationToken, Task<int>> command, params string[] args)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // includes the first jsii synth
        var options = args.Where((_, i) => i % 2 == 1).Select(a => a[2..]).ToArray();
        return await command(CommandLine.Parse(args, options), _output, _error, deadline.Token);
    }

    /// <summary>Runs the command line as <c>Program.Main</c> does, with its exit codes and error messages.</summary>
    private async Task<int> RunCliAsync(params string[] args)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // includes the first jsii synth
        return await CliCommandTable.RunAsync(args, _output, _error, deadline.Token);
    }

    /// <summary>A test-speed sandbox the commands of this test share (each command would otherwise start its own).</summary>
    private async Task<SandboxServer> SharedSandboxAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.001 }, CancellationToken.None);
        SetVariable("Targets__sandbox__ServiceUrl", sandbox.Url.ToString());
        return sandbox;
    }

    /// <summary>Deploys orders-dev with the CLI; returns what it printed and starts the next command's output afresh.</summary>
    private async Task<string> DeployOrdersDevAsync()
    {
        var exit = await RunCliAsync("deploy", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--target", "sandbox");
        Assert.True(exit == 0, $"deploy exit {exit}: {_error}");
        var output = _output.ToString();
        _output.GetStringBuilder().Clear();
        return output;
    }

    private void SetVariable(string name, string? value)
    {
        _previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>
    /// A valid spec (every field within its limit) whose template is still too large to send inline: the most and the
    /// longest secrets on both services, which land in the template twice each.
    /// </summary>
    private static EnvironmentSpec OversizedSpec()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        IReadOnlyList<SecretRef> Secrets(string service) => [.. Enumerable.Range(0, SpecLimits.MaxSecrets).Select(i => new SecretRef
        {
            Name = $"{service}_SECRET_{i}",
            SecretArn = $"arn:aws:secretsmanager:us-east-1:123456789012:secret:{service}/{i}/{new string('s', 400)}-AbCdEf",
        })];
        return spec with
        {
            Frontend = spec.Frontend with { Secrets = Secrets("FRONTEND") },
            Backend = spec.Backend with { Secrets = Secrets("BACKEND") },
        };
    }

    /// <summary>Plans and executes a create of <paramref name="template"/> on the sandbox and returns while it runs.</summary>
    private static async Task StartCreatingAsync(SandboxServer sandbox, string stackName, string template)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = sandbox.Client();
        var changeSets = new ChangeSets(new StackEventWatcher(new WatchOptions()), Options.Create(new WatchOptions()), TimeProvider.System);
        var plan = await changeSets.PlanAsync(client, new PlanRequest
        {
            StackName = stackName,
            TemplateBody = template,
            ChangeSetName = "busy",
            ClientToken = "busy-token",
        }, deadline.Token);
        await changeSets.ExecuteAsync(client, plan.ChangeSetId, "busy-execute", deadline.Token);
    }

    private string WriteSpec(EnvironmentSpec spec)
    {
        var path = Path.Combine(TestEnvironment.TempRoot, $"portal-cli-test-{Guid.NewGuid():N}.json");
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

/// <summary>A CloudFormation endpoint on 127.0.0.1 that answers every request with one error, as AWS does for bad credentials.</summary>
internal sealed class RefusingEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RefusingEndpoint(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public static async Task<RefusingEndpoint> StartAsync(HttpStatusCode status, string code, string message)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var requestId = Guid.NewGuid().ToString();
        app.Run(context =>
        {
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "text/xml";
            return context.Response.WriteAsync(
                $"""<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>""");
        });
        await app.StartAsync();
        return new RefusingEndpoint(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
