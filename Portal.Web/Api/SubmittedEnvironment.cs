namespace Portal.Web.Api;

/// <summary>POST /api/environments answers with the new environment and its revision 1.</summary>
public sealed record SubmittedEnvironment(EnvironmentResource Environment, RevisionResource Revision);
