using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Portal.Infra.Aws;

namespace Portal.Infra.Targets;

/// <summary>Checks every target at start-up and names each bad field by its configuration path.</summary>
/// <param name="section">
/// The configuration the targets were bound from. The binder silently drops a dictionary entry whose value
/// does not convert (<c>"Kind": "Azure"</c>, <c>"RequiredApprovals": "two"</c>); with the section at hand such
/// a target is reported instead of vanishing.
/// </param>
public sealed partial class TargetOptionsValidator(IConfiguration? section = null) : IValidateOptions<TargetOptions>
{
    public const int MaxRequiredApprovals = 10;

    public const int MaxExpiryDays = 3650;

    // Far above any account's budget: a larger figure is a typo, not a budget. A sandbox in the tests' time asks the most.
    public const double MaxCallsPerSecond = 100_000;
    public const int MaxCallBurst = 1000;

    public ValidateOptionsResult Validate(string? name, TargetOptions options)
    {
        var errors = Unreadable(options).Concat(Errors(options)).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private IEnumerable<string> Unreadable(TargetOptions options)
    {
        foreach (var child in section?.GetChildren() ?? [])
        {
            if (options.ContainsKey(child.Key))
                continue;
            string error;
            try
            {
                child.Get<Target>();
                error = $"{TargetOptions.Section}:{child.Key} could not be read as a target.";
            }
            catch (InvalidOperationException ex)
            {
                error = ex.Message;
            }
            yield return error;
        }
    }

    public static IReadOnlyList<string> Errors(TargetOptions options)
    {
        var errors = new List<string>();
        foreach (var (name, target) in options.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var path = $"{TargetOptions.Section}:{name}";
            if (target.Kind is null)
                errors.Add($"{path}:Kind is required: Sandbox or Aws.");

            if (string.IsNullOrWhiteSpace(target.Region))
            {
                if (target.Kind == TargetKind.Aws)
                    errors.Add($"{path}:Region is required for an Aws target (e.g. eu-west-1).");
            }
            else if (!RegionName().IsMatch(target.Region))
                errors.Add($"{path}:Region '{target.Region}' is not an AWS region name (e.g. eu-west-1).");

            if (!string.IsNullOrWhiteSpace(target.RoleArn))
            {
                if (target.Kind == TargetKind.Sandbox)
                    errors.Add($"{path}:RoleArn is not used by a Sandbox target (it signs with dummy credentials); remove it.");
                else if (!RoleArn().IsMatch(target.RoleArn))
                    errors.Add($"{path}:RoleArn '{target.RoleArn}' is not an IAM role ARN (arn:aws:iam::123456789012:role/name).");
            }

            if (!string.IsNullOrWhiteSpace(target.CloudFormationRoleArn) && !RoleArn().IsMatch(target.CloudFormationRoleArn))
                errors.Add($"{path}:CloudFormationRoleArn '{target.CloudFormationRoleArn}' is not an IAM role ARN (arn:aws:iam::123456789012:role/name).");

            if (!string.IsNullOrWhiteSpace(target.ServiceUrl))
                ServiceUrlErrors($"{path}:ServiceUrl", target.ServiceUrl, target.Kind, errors);

            foreach (var (service, url) in target.ServiceUrls.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                if (!DiagnosticsClients.Services.Contains(service, StringComparer.OrdinalIgnoreCase))
                    errors.Add($"{path}:ServiceUrls:{service} names no service the portal calls besides CloudFormation " +
                               $"({string.Join(", ", DiagnosticsClients.Services)}); CloudFormation's is {path}:ServiceUrl.");
                else if (!string.IsNullOrWhiteSpace(url))
                    ServiceUrlErrors($"{path}:ServiceUrls:{service}", url, target.Kind, errors);
            }

            if (target.CallsPerSecond is { } perSecond && !(perSecond is > 0 and <= MaxCallsPerSecond))
                errors.Add($"{path}:CallsPerSecond must be above 0 and at most {MaxCallsPerSecond} (got {perSecond}).");
            if (target.CallBurst is < 1 or > MaxCallBurst)
                errors.Add($"{path}:CallBurst must be between 1 and {MaxCallBurst} (got {target.CallBurst}).");
            if (!string.IsNullOrWhiteSpace(target.StackEventQueueUrl))
                ServiceUrlErrors($"{path}:StackEventQueueUrl", target.StackEventQueueUrl, target.Kind, errors);

            if (target.RequiredApprovals is < 1 or > MaxRequiredApprovals)
                errors.Add($"{path}:RequiredApprovals must be between 1 and {MaxRequiredApprovals} (got {target.RequiredApprovals}).");

            if (target.Expiry.MaxDays is < 1 or > MaxExpiryDays)
                errors.Add($"{path}:Expiry:MaxDays must be between 1 and {MaxExpiryDays} (got {target.Expiry.MaxDays}).");

            // The URL is the webhook's credential: the error names the entry, never its value.
            for (var i = 0; i < target.Webhooks.Count; i++)
            {
                if (!(Uri.TryCreate(target.Webhooks[i], UriKind.Absolute, out var hook) && (hook.Scheme == Uri.UriSchemeHttp || hook.Scheme == Uri.UriSchemeHttps)))
                    errors.Add($"{path}:Webhooks:{i} is not an absolute http(s) URL.");
            }
        }
        return errors;
    }

    private static void ServiceUrlErrors(string key, string value, TargetKind? kind, List<string> errors)
    {
        if (!(Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
            errors.Add($"{key} '{value}' is not an absolute http(s) URL.");
        // Signed requests (and an assumed role's session token) must not cross a network in clear; an emulator
        // such as LocalStack on this machine never leaves it. Sandbox targets sign with public dummy credentials.
        else if (kind == TargetKind.Aws && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
            errors.Add($"{key} '{value}' is plain http: an Aws target's calls carry signatures and session " +
                       "tokens, so use https (http only for an emulator on this machine: localhost, 127.0.0.1 or [::1]).");
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")]
    private static partial Regex RegionName();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArn();
}
