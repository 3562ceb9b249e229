using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Portal.Web.Api;

/// <summary>
/// A signed-in API caller whose role may not do something gets a 403 problem that says which roles may,
/// rather than an empty 403. Pages and everything else keep the default behaviour.
/// </summary>
internal sealed class ApiAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!context.IsApiRequest() || !result.Forbidden || result.AuthorizationFailure is not { } failure)
        {
            await _fallback.HandleAsync(next, context, policy, result);
            return;
        }

        var roles = failure.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed",
                Detail = $"{context.User.Identity?.Name} may not do this; it needs the role {string.Join(" or ", roles)}.",
            },
        });
    }
}
