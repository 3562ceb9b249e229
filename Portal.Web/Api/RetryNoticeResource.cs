namespace Portal.Web.Api;

/// <summary>A deploy waiting out a CloudFormation that does not answer: since when, and the last failure's message.</summary>
public sealed record RetryNoticeResource(DateTimeOffset Since, string Reason);
