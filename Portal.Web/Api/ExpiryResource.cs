namespace Portal.Web.Api;

/// <summary>An environment's expiry: when it is destroyed (or was found expired), and its target's rules.</summary>
public sealed record ExpiryResource(string Environment, DateTimeOffset? ExpiresAt, DateTimeOffset? ExpiredAt, int MaxDays, bool AutoApprove);
