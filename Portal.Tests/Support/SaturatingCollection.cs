namespace Portal.Tests.Support;

/// <summary>
/// The classes that each keep both cores busy on their own (seven crash cases with fourteen portal processes; a hundred
/// deploys at once), run one after the other. Beside each other they starved the hundred deploys past their deadline.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SaturatingCollection
{
    public const string Name = "Saturating";
}
