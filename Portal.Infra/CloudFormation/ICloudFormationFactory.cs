namespace Portal.Infra.CloudFormation;

/// <summary>The CloudFormation client for a configured deploy target.</summary>
public interface ICloudFormationFactory
{
    /// <summary>
    /// The client for <paramref name="targetName"/> (case-insensitive), created on first use and shared after.
    /// Throws <see cref="ArgumentException"/> for an unknown target and <see cref="InvalidOperationException"/>
    /// for a Sandbox target while no sandbox endpoint is running.
    /// </summary>
    ICloudFormation For(string targetName);
}
