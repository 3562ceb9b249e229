using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>
/// The one place where workflow refusals become HTTP answers (<c>application/problem+json</c>): Invalid → 400 with
/// <c>errors</c> keyed by field path, Forbidden → 403, NotFound → 404, Conflict → 409 (with the field, if one),
/// TooManyRequests → 429 with <c>Retry-After</c> in seconds.
/// </summary>
public static class ApiProblems
{
    public static IResult From(WorkflowException refusal) => refusal.Code switch
    {
        WorkflowErrorCode.Invalid => Invalid(refusal.Errors),
        WorkflowErrorCode.Forbidden => Problem(StatusCodes.Status403Forbidden, "Not allowed", refusal),
        WorkflowErrorCode.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", refusal),
        WorkflowErrorCode.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", refusal),
        WorkflowErrorCode.TooManyRequests => new WithRetryAfter(
            Problem(StatusCodes.Status429TooManyRequests, "Too many submissions", refusal), ((SubmissionLimitException)refusal).RetryAfter),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Code, "unknown workflow error code"),
    };

    /// <summary>400: every problem at once, <c>errors</c> keyed by field path (<c>backend.listenerPort</c>, <c>$</c> for the whole body).</summary>
    public static IResult Invalid(IEnumerable<FieldError> errors) => TypedResults.ValidationProblem(
        ByField(errors), title: "The request is invalid", detail: "See errors: each key is a field path.");

    /// <summary>413 or 415: the body could not be read at all; <c>errors</c> says why under <c>$</c>.</summary>
    internal static IResult Unreadable(UnreadableBodyException body) => TypedResults.Problem(
        detail: body.Message, statusCode: body.Status,
        title: body.Status == StatusCodes.Status413PayloadTooLarge ? "The body is too large" : "Unsupported media type",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["$"] = [body.Message] } });

    private static IResult Problem(int status, string title, WorkflowException refusal) => TypedResults.Problem(
        detail: refusal.Message, statusCode: status, title: title,
        extensions: refusal.Errors.Count == 0 ? null : new Dictionary<string, object?> { ["errors"] = ByField(refusal.Errors) });

    private static Dictionary<string, string[]> ByField(IEnumerable<FieldError> errors) => errors
        .GroupBy(e => e.Field, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
}

/// <summary>A problem answer with <c>Retry-After</c> (whole seconds, at least 1), as RFC 9110 gives it for 429.</summary>
internal sealed class WithRetryAfter(IResult problem, TimeSpan retryAfter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = ((long)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(httpContext);
    }
}

/// <summary>Turns a <see cref="WorkflowException"/> thrown by a command or query into its problem answer.</summary>
internal sealed class WorkflowProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (WorkflowException refusal)
        {
            return ApiProblems.From(refusal);
        }
        catch (UnreadableBodyException unreadable)
        {
            return ApiProblems.Unreadable(unreadable);
        }
    }
}
