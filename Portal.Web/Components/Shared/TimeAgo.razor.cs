using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Shared;

/// <summary>A time as its age ("5 min ago"), with the exact UTC time on hover.</summary>
public partial class TimeAgo
{
    /// <summary>The moment to show.</summary>
    [Parameter, EditorRequired] public DateTimeOffset At { get; set; }
}
