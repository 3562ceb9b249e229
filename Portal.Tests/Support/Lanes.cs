namespace Portal.Tests.Support;

/// <summary>
/// The test lanes: every test class carries one category, <c>[Trait(Lanes.Category, Lanes.Unit)]</c>, saying what it
/// needs, so a lane runs with <c>--filter Category=…</c> (scripts/test.sh; <c>--fast</c> runs Unit and Component).
/// <see cref="LaneTests"/> fails on a class without one.
/// </summary>
public static class Lanes
{
    public const string Category = "Category";

    /// <summary>In this process only: no portal host, browser, database server or process of the portal's own. SQLite
    /// files, the sandbox on loopback and CDK synthesis (jsii's node) are fine.</summary>
    public const string Unit = "Unit";

    /// <summary>A page or component rendered by bUnit, no host.</summary>
    public const string Component = "Component";

    /// <summary>A portal host in the test process (WebApplicationFactory, HTTP on loopback): the one the Host collection
    /// shares, or a host or job fixture of the test's own.</summary>
    public const string Api = "Api";

    /// <summary>Chromium (Playwright) against a portal host.</summary>
    public const string Browser = "Browser";

    /// <summary>Failures on purpose: processes killed (the portal, a synth), endpoints down or throttling, templates refused.</summary>
    public const string Faults = "Faults";

    /// <summary>Many requests or watchers at once.</summary>
    public const string Load = "Load";

    /// <summary>Several portal processes on one PostgreSQL server (Portal.Tests/Postgres).</summary>
    public const string Postgres = "Postgres";

    /// <summary>Sign-in at a real OpenID provider (node, installed by scripts/ensure-oidc-provider.sh).</summary>
    public const string OpenIdProvider = "OpenIdProvider";

    public static IReadOnlyList<string> All { get; } = [Unit, Component, Api, Browser, Faults, Load, Postgres, OpenIdProvider];

    /// <summary>
    /// Marks a Unit or Component test that stores through <see cref="Postgres.TestDatabase"/>, <c>[Trait(Lanes.Database, Lanes.Stored)]</c>:
    /// the PostgreSQL pass runs it again, as it runs every test of the other lanes but Postgres and OpenIdProvider.
    /// </summary>
    public const string Database = "Database";

    public const string Stored = "Stored";

    /// <summary>
    /// Marks an Api, Faults or Load test the PostgreSQL pass leaves out, <c>[Trait(Lanes.Database, Lanes.SqliteOnly)]</c>:
    /// it inspects the SQLite files themselves, or what it proves no database engine affects (the CloudFormation client
    /// facing throttling, an outage or a refused template; the sandbox's own account on disk; jsii's temp folders). Each
    /// says why beside the mark.
    /// </summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>The values of the class's own traits named <paramref name="name"/>: xunit reads none of a base class.</summary>
    public static List<string> Traits(Type type, string name) =>
        [.. Arguments(type, typeof(TraitAttribute)).Where(arguments => arguments[0] == name).Select(arguments => arguments[1])];

    /// <summary>The arguments of each <paramref name="attribute"/> on the class, as declared: xunit's attributes keep them
    /// to themselves (no properties).</summary>
    public static IEnumerable<string[]> Arguments(Type type, Type attribute) => type.GetCustomAttributesData()
        .Where(data => data.AttributeType == attribute)
        .Select(data => data.ConstructorArguments.Select(argument => (string)argument.Value!).ToArray());
}
