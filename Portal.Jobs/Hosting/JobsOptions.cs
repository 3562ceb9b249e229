namespace Portal.Jobs.Hosting;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run the Hangfire server in this process (the web host does by default; a separate worker always does).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>
    /// Hangfire workers. A deploy holds one for as long as CloudFormation works (minutes), so this bounds how many
    /// environments deploy at once; the rest wait in the queue.
    /// </summary>
    public int WorkerCount { get; set; } = 40;

    /// <summary>
    /// With the server, start jsii's Node and load the CDK at once (<c>SynthesizerWarmUp</c>), so the first plan is not
    /// cold. Off for a process that will not plan soon: the warm-up costs several seconds of CPU.
    /// </summary>
    public bool WarmUpSynthesizer { get; set; } = true;
}
