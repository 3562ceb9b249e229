using Portal.Infra.Environments;
using Portal.Tests.Environments;

namespace Portal.Tests.Stacks;

/// <summary>Variants of the samples in <c>samples/</c> for tests that need many distinct environments.</summary>
public static class SampleSpecs
{
    public static EnvironmentSpec OrdersDev(string name, int frontendPort, int listenerPort)
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);
        return spec with
        {
            Name = name,
            Frontend = spec.Frontend with { ContainerPort = frontendPort },
            Backend = spec.Backend with { ListenerPort = listenerPort },
        };
    }
}
