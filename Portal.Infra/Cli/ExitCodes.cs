namespace Portal.Infra.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A plan, deploy or destroy that ended unhealthy or could not be done (root cause or error printed).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: an invalid spec, a usage error, a template over CloudFormation's size limit, a failed guardrail.</summary>
    public const int InvalidSpec = 2;
}
