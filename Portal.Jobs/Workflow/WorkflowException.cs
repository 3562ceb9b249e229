namespace Portal.Jobs.Workflow;

/// <summary>Why a command was refused; the web layer maps these to HTTP statuses.</summary>
public enum WorkflowErrorCode
{
    /// <summary>Bad input (400, problem details keyed by <see cref="FieldError.Field"/>).</summary>
    Invalid,
    /// <summary>The actor's role or ownership does not allow it (403).</summary>
    Forbidden,
    /// <summary>No such environment or revision (404).</summary>
    NotFound,
    /// <summary>Not possible in the current state: name taken, wrong status, deploy in progress (409).</summary>
    Conflict,
    /// <summary>The actor submitted too much too fast; see <see cref="Submissions.SubmissionLimitException.RetryAfter"/> (429).</summary>
    TooManyRequests,
}

/// <summary>One problem with one input field, by its path (<c>name</c>, <c>backend.listenerPort</c>, <c>comment</c>).</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>
/// A command refused with a clear reason. <see cref="Errors"/> holds every field problem for
/// <see cref="WorkflowErrorCode.Invalid"/>, and the one field concerned (if any) for the other codes.
/// </summary>
public class WorkflowException : Exception
{
    public WorkflowException(WorkflowErrorCode code, string? field, string message, Exception? inner = null)
        : this(code, message, field is null ? [] : [new FieldError(field, message)], inner)
    {
    }

    private WorkflowException(WorkflowErrorCode code, string message, IReadOnlyList<FieldError> errors, Exception? inner)
        : base(message, inner)
    {
        Code = code;
        Errors = errors;
    }

    public WorkflowErrorCode Code { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The first field concerned, or null when the refusal is not about one field.</summary>
    public string? Field => Errors.Count > 0 ? Errors[0].Field : null;

    /// <summary>Every problem with the input at once.</summary>
    public static WorkflowException Invalid(IReadOnlyList<FieldError> errors) =>
        new(WorkflowErrorCode.Invalid, string.Join("; ", errors), errors, null);

    public static WorkflowException Forbidden(string message) => new(WorkflowErrorCode.Forbidden, null, message);

    public static WorkflowException NotFound(string message) => new(WorkflowErrorCode.NotFound, null, message);

    public static WorkflowException Conflict(string message, string? field = null) =>
        new(WorkflowErrorCode.Conflict, field, message);
}
