using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Sandbox;

public static class SandboxHosting
{
    public const string DefaultPattern = "/sandbox/cloudformation";

    /// <summary>
    /// The last segment of each endpoint's path, beside CloudFormation's: <c>/sandbox/ecs</c>, <c>/sandbox/logs</c>,
    /// <c>/sandbox/elasticloadbalancing</c>, <c>/sandbox/sqs</c>.
    /// </summary>
    public const string EcsSegment = "ecs", LogsSegment = "logs", ElasticLoadBalancingSegment = "elasticloadbalancing", SqsSegment = "sqs";

    /// <summary>
    /// Registers the sandbox endpoint (a singleton) with options from the "Sandbox" configuration section; its account is
    /// kept in <c>Sandbox:DataFolder</c>, else in <paramref name="defaultDataFolder"/> (else in memory).
    /// </summary>
    public static IServiceCollection AddSandboxCloudFormation(this IServiceCollection services, IConfiguration configuration, string? defaultDataFolder = null)
    {
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName))
            .PostConfigure(options => options.DataFolder ??= defaultDataFolder);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SandboxCloudFormation(
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SandboxCloudFormation>()));
        return services;
    }

    /// <summary>
    /// Answers the CloudFormation Query API at <paramref name="pattern"/> (a client's ServiceUrl), and beside it (the same
    /// path with its last segment replaced, see <see cref="Sibling"/>) the same account's ECS, CloudWatch Logs, Elastic
    /// Load Balancing and SQS APIs (SQS also at its queues' URLs below it). Each endpoint verifies its own SigV4 signatures
    /// (the <c>Sandbox:AccessKeyId</c> and <c>Sandbox:SecretAccessKey</c> settings, scoped to its service), so all are
    /// exempt from the host's authorization and antiforgery; conventions added to the result apply to all of them. SQS long
    /// polls end when the host starts stopping, so that they do not hold its shutdown up.
    /// </summary>
    public static IEndpointConventionBuilder MapSandboxCloudFormation(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        var sandbox = endpoints.ServiceProvider.GetRequiredService<SandboxCloudFormation>();
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(sandbox.EndLongPolls);
        var sqs = Sibling(pattern, SqsSegment);
        IEndpointConventionBuilder Map(string path, RequestDelegate handler, params string[] methods) =>
            endpoints.MapMethods(path, methods, handler).AllowAnonymous().DisableAntiforgery();
        return new ConventionBuilders([
            Map(pattern, context =>
            {
                sandbox.LearnSqsUrl(context.Request, sqs);
                return sandbox.HandleAsync(context);
            }, HttpMethods.Post, HttpMethods.Get),
            Map(Sibling(pattern, EcsSegment), sandbox.Ecs.HandleAsync, HttpMethods.Post),
            Map(Sibling(pattern, LogsSegment), sandbox.Logs.HandleAsync, HttpMethods.Post),
            Map(Sibling(pattern, ElasticLoadBalancingSegment), sandbox.ElasticLoadBalancing.HandleAsync, HttpMethods.Post, HttpMethods.Get),
            Map(sqs, sandbox.Sqs.HandleAsync, HttpMethods.Post),
            Map(sqs + "/{account}/{queue}", sandbox.Sqs.HandleAsync, HttpMethods.Post),
        ]);
    }

    /// <summary><paramref name="pattern"/> with its last segment replaced by <paramref name="segment"/>: <c>/sandbox/cloudformation</c> → <c>/sandbox/ecs</c>, <c>/</c> → <c>/ecs</c>.</summary>
    public static string Sibling(string pattern, string segment)
    {
        var trimmed = pattern.TrimEnd('/');
        var parent = trimmed[..(trimmed.LastIndexOf('/') + 1)];
        return (parent.StartsWith('/') ? parent : "/" + parent) + segment;
    }

    /// <summary>Conventions for several endpoints at once.</summary>
    private sealed class ConventionBuilders(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
                builder.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
                builder.Finally(finallyConvention);
        }
    }

    /// <summary>
    /// A control for demos and tests: POST <see cref="SandboxDriftRequest"/> as JSON changes a deployed resource outside
    /// CloudFormation (<see cref="SandboxCloudFormation.Drift"/>, or <see cref="SandboxCloudFormation.DeleteOutOfBand"/>
    /// with <c>deleted</c>): 204, or 400 with <c>errors</c> keyed by the field (<c>$</c> for a body that is no such
    /// object). It changes the sandbox's state, so the host must put it behind authorization (it carries none of its own).
    /// </summary>
    public static RouteHandlerBuilder MapSandboxDrift(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapPost(pattern, async (HttpRequest http, SandboxCloudFormation sandbox, CancellationToken cancellationToken) =>
        {
            // Read by hand: model binding answers a malformed body or a wrong type with a bare 400 (or throws in Development).
            SandboxDriftRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<SandboxDriftRequest>(http.Body, DriftJson, cancellationToken);
            }
            catch (JsonException e)
            {
                // Where reading stopped: "$.deleted" for a wrong type there, "$" for a body that is no object.
                var field = e.Path is null or "$" ? "$" : e.Path[2..];
                var expected = field switch
                {
                    "$" => "a JSON object { stackName, logicalId, propertyPath, actualValue, deleted }",
                    "deleted" => "true or false",
                    _ => "a string",
                };
                return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"expected {expected}"] });
            }

            if (request is null)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["the body must be a JSON object"] });
            var errors = new Dictionary<string, string[]>();
            Check(errors, "stackName", request.StackName, MaxStackName, required: true);
            Check(errors, "logicalId", request.LogicalId, MaxLogicalId, required: true);
            Check(errors, "propertyPath", request.PropertyPath, MaxPropertyPath, required: !request.Deleted);
            if (errors.Count > 0)
                return Results.ValidationProblem(errors);
            try
            {
                if (request.Deleted)
                    sandbox.DeleteOutOfBand(request.StackName!, request.LogicalId!);
                else
                    sandbox.Drift(request.StackName!, request.LogicalId!, request.PropertyPath!, request.ActualValue);
                return Results.NoContent();
            }
            catch (ArgumentException e)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { [e.ParamName == "path" ? "propertyPath" : e.ParamName ?? "$"] = [e.Message] });
            }
        }).Accepts<SandboxDriftRequest>("application/json")
        .DisableAntiforgery(); // JSON for clients with tokens: the host requires bearer authorization, which a browser never sends by itself

    // CloudFormation's own limits for a stack name and a logical id; a property path is far shorter than this in practice.
    private const int MaxStackName = 128, MaxLogicalId = 255, MaxPropertyPath = 1024;

    private static readonly JsonSerializerOptions DriftJson = new(JsonSerializerDefaults.Web);

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
            errors[field] = [field == "propertyPath" ? "required unless deleted is true" : "required"];
        else if (value?.Length > maxLength)
            errors[field] = [$"at most {maxLength} characters, got {value.Length:N0}"];
    }
}

/// <summary>The body of the sandbox's drift control: which resource, and the property's value now (null removes it).</summary>
public sealed record SandboxDriftRequest(string? StackName, string? LogicalId, string? PropertyPath, string? ActualValue, bool Deleted = false);
