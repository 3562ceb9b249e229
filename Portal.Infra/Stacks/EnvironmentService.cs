namespace Portal.Infra.Stacks;

/// <summary>
/// One of the two ECS services <see cref="TwoTierEnvironment"/> declares, named as it names them, so that what reads
/// the services back (diagnosis, health) finds them among the stack's resources without the template.
/// </summary>
/// <param name="Component">The tier: <c>frontend</c> or <c>backend</c>.</param>
/// <param name="ConstructId">The CDK construct id its resources' logical ids start with (<c>FrontendService…</c>, <c>FrontendLogs…</c>).</param>
/// <param name="ServiceName">The ECS service's name, also the prefix of its containers' log streams.</param>
public sealed record EnvironmentService(string Component, string ConstructId, string ServiceName)
{
    /// <summary>The one container of each task definition.</summary>
    public const string ContainerName = "app";

    public static EnvironmentService Frontend { get; } = new("frontend", "Frontend", "frontend-service");

    public static EnvironmentService Backend { get; } = new("backend", "Backend", "backend-service");

    /// <summary>In the order requests reach them.</summary>
    public static IReadOnlyList<EnvironmentService> All { get; } = [Frontend, Backend];

    /// <summary>The logical id of its AWS::ECS::Service starts with this; CDK appends a hash of the construct path.</summary>
    public string ServiceLogicalIdPrefix => ConstructId + "Service";

    /// <summary>The logical id of its AWS::Logs::LogGroup starts with this.</summary>
    public string LogGroupLogicalIdPrefix => ConstructId + "Logs";
}
