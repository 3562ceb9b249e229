namespace Portal.Tests.Support;

/// <summary>
/// The classes that each keep both cores busy on their own (seven crash cases with fourteen portal processes; a hundred
/// deploys at once; ten browser pages and fifty event streams on one deploy), run one after the other. Beside each other
/// they starved the hundred deploys past their deadline, and a watcher's page load past the browser's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SaturatingCollection
{
    public const string Name = "Saturating";
}
