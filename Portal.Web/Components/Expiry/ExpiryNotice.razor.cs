using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Expiry;

/// <summary>
/// An environment's expiry on its page: the date, a warning from a day before ("expires in 23 h — extend"), the notice
/// once expiry requested the destroy, and for the owner or an admin a field to set or extend it.
/// </summary>
public partial class ExpiryNotice
{
    /// <summary>How long before the expiry the page warns.</summary>
    public static readonly TimeSpan NoticeAhead = TimeSpan.FromDays(1);

    private const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    private ExpiryView? _expiry;
    private bool _editing;
    private string? _newExpiry;
    private string? _fieldError;
    private string? _refusal;

    [Parameter, EditorRequired] public string EnvironmentName { get; set; } = "";

    [Parameter] public EnvironmentStatus Status { get; set; }

    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>The owner or an admin (the command checks again).</summary>
    [Parameter] public bool MayChange { get; set; }

    /// <summary>Called after the expiry changed (a withdrawn destroy changes the page's revisions).</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private ExpiryQueries Queries { get; set; } = default!;
    [Inject] private ExpiryCommands Commands { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private DateTimeOffset Now => Time.GetUtcNow();

    protected override async Task OnParametersSetAsync() =>
        _expiry = await Queries.GetAsync(EnvironmentName, CancellationToken.None);

    /// <summary>"23 h", or "40 min" in the last hour.</summary>
    public static string Remaining(TimeSpan left) =>
        left >= TimeSpan.FromHours(1) ? $"{(int)left.TotalHours} h" : $"{Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min";

    private string Remaining(DateTimeOffset at) => Remaining(at - Now);

    private void StartEditing()
    {
        var from = _expiry?.ExpiresAt is { } at && at > Now ? at : Now;
        _newExpiry = from.AddDays(1).UtcDateTime.ToString(InputFormat, CultureInfo.InvariantCulture);
        _fieldError = _refusal = null;
        _editing = true;
    }

    private async Task SaveAsync()
    {
        _fieldError = _refusal = null;
        if (!DateTime.TryParseExact(_newExpiry, [InputFormat, InputFormat + ":ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc))
        {
            _fieldError = "Enter a date and time (UTC).";
            return;
        }

        try
        {
            _expiry = await Commands.SetAsync(new SetExpiry(EnvironmentName, new DateTimeOffset(utc, TimeSpan.Zero)), Actor, CancellationToken.None);
            _editing = false;
            await Changed.InvokeAsync();
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.Invalid)
        {
            _fieldError = string.Join(" ", e.Errors.Where(x => x.Field == ExpiryRules.Field).Select(x => x.Message));
        }
        catch (WorkflowException e)
        {
            _refusal = e.Message;
        }
    }
}
