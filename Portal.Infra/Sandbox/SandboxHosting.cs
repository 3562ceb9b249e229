using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Portal.Infra.Sandbox;

public static class SandboxHosting
{
    public const string DefaultPattern = "/sandbox/cloudformation";

    /// <summary>Registers the sandbox endpoint (a singleton) with options from the "Sandbox" configuration section.</summary>
    public static IServiceCollection AddSandboxCloudFormation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SandboxCloudFormation(
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Answers the CloudFormation Query API at <paramref name="pattern"/> (a client's ServiceUrl). The endpoint
    /// checks its own SigV4 header, so it is exempt from the host's authorization and antiforgery.
    /// </summary>
    public static IEndpointConventionBuilder MapSandboxCloudFormation(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        var sandbox = endpoints.ServiceProvider.GetRequiredService<SandboxCloudFormation>();
        return endpoints.MapMethods(pattern, [HttpMethods.Post, HttpMethods.Get], sandbox.HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery();
    }

    /// <summary>
    /// A control for demos and tests: POST <see cref="SandboxDriftRequest"/> as JSON changes a deployed resource outside
    /// CloudFormation (<see cref="SandboxCloudFormation.Drift"/>, or <see cref="SandboxCloudFormation.DeleteOutOfBand"/>
    /// with <c>deleted</c>): 204, or 400 with <c>errors</c> keyed by the field. It changes the sandbox's state, so the
    /// host must put it behind authorization (it carries none of its own).
    /// </summary>
    public static RouteHandlerBuilder MapSandboxDrift(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapPost(pattern, (SandboxDriftRequest request, SandboxCloudFormation sandbox) =>
        {
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.StackName)) missing["stackName"] = ["required"];
            if (string.IsNullOrWhiteSpace(request.LogicalId)) missing["logicalId"] = ["required"];
            if (!request.Deleted && string.IsNullOrWhiteSpace(request.PropertyPath)) missing["propertyPath"] = ["required unless deleted is true"];
            if (missing.Count > 0)
                return Results.ValidationProblem(missing);
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
        }).DisableAntiforgery(); // JSON for clients with tokens: the host requires bearer authorization, which a browser never sends by itself
}

/// <summary>The body of the sandbox's drift control: which resource, and the property's value now (null removes it).</summary>
public sealed record SandboxDriftRequest(string? StackName, string? LogicalId, string? PropertyPath, string? ActualValue, bool Deleted = false);
