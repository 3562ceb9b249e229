namespace Portal.Jobs.Deployments;

/// <summary>
/// How often Hangfire runs a plan or deploy job again after an exception (an outage longer than the client's own
/// retries, a database that stayed locked): quickly at first, then for about ten minutes in all. The jobs resume
/// where they stopped, so a rerun never repeats what CloudFormation already did.
/// </summary>
internal static class JobRetries
{
    public const int Attempts = 8;
}
