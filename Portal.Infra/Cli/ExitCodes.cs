namespace Portal.Infra.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A deploy or destroy that ended unhealthy (root cause printed).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: an invalid spec or a usage error.</summary>
    public const int InvalidSpec = 2;
}
