using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Web.Hosting;

namespace Portal.Web.Api;

public static class ApiExtensions
{
    /// <summary>JSON as the resources are documented (camelCase, enums by name, absent values left out) and OpenAPI.</summary>
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        // Routing answers a body of another media type with 415 before any endpoint runs; say why under "$" as for
        // every other unreadable body.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !context.ProblemDetails.Extensions.ContainsKey("errors"))
            {
                const string message = "The body is not of a type this endpoint reads; send it as application/json.";
                context.ProblemDetails.Detail ??= message;
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["$"] = [message] };
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddSingleton(sp => new PerUserLimit<StackEventStream>(
            sp.GetRequiredService<IOptions<LiveEventsOptions>>().Value.MaxStreamsPerUser,
            $"{LiveEventsOptions.Section}:{nameof(LiveEventsOptions.MaxStreamsPerUser)}"));
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Portal API";
                document.Info.Description =
                    "Request, change and approve two-tier AWS environments. Send `Authorization: Bearer <token>` " +
                    "(`dev-<name>` with development sign-in, else the identity provider's JWT). Errors are " +
                    "application/problem+json; 400s carry `errors` keyed by field path.";
                return Task.CompletedTask;
            });
            // A person's key is written as its string (PersonIdJsonConverter), so it is documented as one, in place.
            var defaultReferenceId = o.CreateSchemaReferenceId;
            o.CreateSchemaReferenceId = type => type.Type == typeof(PersonId) ? null : defaultReferenceId(type);
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(PersonId))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                    schema.Description = PersonKey;
                }
                else if (context.JsonTypeInfo.ElementType == typeof(PersonId))
                {
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Description = PersonKey };
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    private const string PersonKey = "A person's key, issuer#subject: who they are, whatever name they show.";

    public static bool IsApiRequest(this HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>The API endpoints and their OpenAPI document at <c>/openapi/v1.json</c> (readable without signing in).</summary>
    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapEnvironmentApi();
        app.MapDriftApi();
        return app;
    }
}
