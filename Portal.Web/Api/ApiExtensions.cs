namespace Portal.Web.Api;

public static class ApiExtensions
{
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
