using Portal.Infra.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

/// <summary>
/// Checks a spec for SubmitEnvironment and SubmitUpdate: every field rule of the spec validator, plus a target this
/// portal is configured for. Pages call it as the user types, so they show the server's own messages.
/// </summary>
public sealed class EnvironmentRequestValidator(ITargetPolicy targets)
{
    public IReadOnlyList<FieldError> Validate(EnvironmentSpec spec)
    {
        var errors = EnvironmentSpecValidator.Validate(spec).Select(e => new FieldError(e.Path, e.Message)).ToList();
        if (!errors.Any(e => e.Field == "target") && targets.RequiredApprovals(spec.Target) is null)
        {
            errors.Add(new FieldError("target",
                $"'{spec.Target}' is not a configured target; choose one of: {string.Join(", ", targets.TargetNames)}"));
        }

        return errors;
    }

    public void EnsureValid(EnvironmentSpec spec)
    {
        if (Validate(spec) is { Count: > 0 } errors)
        {
            throw WorkflowException.Invalid(errors);
        }
    }
}
