using Microsoft.AspNetCore.Components;
using Portal.Infra.ServiceHealth;

namespace Portal.Web.Components.ServiceHealth;

/// <summary>
/// One reading of an environment's services (<see cref="ServiceDiagnosis"/>): per service its state in words, tasks
/// running of desired and targets healthy of total; then, open for a service that is not healthy, the targets that are
/// not healthy with ELB's reasons, the stopped tasks with ECS's reasons and exit codes, ECS's newest events and the last
/// log lines of the failed task.
/// </summary>
public sealed partial class ServiceHealthPanel
{
    /// <summary>The reading to show.</summary>
    [Parameter, EditorRequired] public ServiceDiagnosis Diagnosis { get; set; } = default!;

    /// <summary>What the reading is, to name its table apart from another on the page ("Services now", "Services during revision 2").</summary>
    [Parameter, EditorRequired] public string Title { get; set; } = "";

    /// <summary>Words, not only a colour: "healthy", "starting", "not healthy", "deleted".</summary>
    private static string State(ServiceReport service) => service switch
    {
        { IsHealthy: true } => "healthy",
        { Status: ServiceReport.MissingStatus } => "not found in ECS",
        { Status: "INACTIVE" } => "deleted",
        { Status: "DRAINING" } => "draining",
        { Pending: > 0 } => "starting",
        _ => "not healthy",
    };

    private static bool ShowsDetails(ServiceReport service) =>
        service.Events.Count > 0 || service.StoppedTasks.Count > 0 || service.LogLines.Count > 0 || service.Targets is { Unhealthy.Count: > 0 };
}
