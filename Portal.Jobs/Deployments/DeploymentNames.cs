namespace Portal.Jobs.Deployments;

/// <summary>
/// Change set names and idempotency tokens derived from the revision, so that a job retried after a crash
/// asks CloudFormation for the same thing again and CloudFormation recognises it.
/// </summary>
internal static class DeploymentNames
{
    /// <summary>One per plan: a revision planned again (back to Planning) gets a new change set.</summary>
    public static string ChangeSet(int revisionNumber, int revisionId, int planVersion) => $"portal-r{revisionNumber}-{revisionId}-v{planVersion}";

    public static string CreateToken(int revisionId, int planVersion) => $"portal-plan-{revisionId}-v{planVersion}";

    public static string ExecuteToken(int revisionId) => $"portal-execute-{revisionId}";

    public static string DeleteToken(int revisionId) => $"portal-destroy-{revisionId}";

    public static string CancelToken(int revisionId) => $"portal-cancel-{revisionId}";

    /// <summary>The revision whose execute, destroy or cancel token this is; null for another token (not the portal's operation).</summary>
    public static int? RevisionOf(string? token)
    {
        foreach (var prefix in (string[])["portal-execute-", "portal-destroy-", "portal-cancel-"])
        {
            if (token is not null && token.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(token.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                return id;
        }
        return null;
    }
}
