namespace Portal.Infra.ServiceHealth;

/// <summary>How much of what AWS answers a <see cref="ServiceReport"/> keeps: enough to say why, small enough to store.</summary>
public static class ServiceReportLimits
{
    public const int Events = 10;
    public const int StoppedTasks = 5;
    public const int UnhealthyTargets = 10;
    public const int LogLines = 50;

    /// <summary>Any one text (an event, a reason, a log line) is cut to this many characters.</summary>
    public const int Text = 1_000;

    /// <summary>The text cut to <see cref="Text"/> characters, marked with an ellipsis when it was longer.</summary>
    public static string Cut(string text) => text.Length <= Text ? text : string.Concat(text.AsSpan(0, Text - 1), "…");
}
