using System.Net;
using Portal.Tests.Api;

namespace Portal.Tests.Hostile;

/// <summary>
/// Every request of the <see cref="HostileCorpus"/> gets its status with a problem naming the field, never a 500;
/// nothing is written; the answer never echoes the megabytes it was sent; and the portal answers the next request.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class HostileApiTests(PortalHost host)
{
    private static readonly SemaphoreSlim VictimLock = new(1, 1);
    private static Victims? _victims;

    public static TheoryData<string> Corpus() => new(HostileCorpus.All.Select(r => r.Id));

    [Fact]
    public void TheCorpusHoldsAtLeast150DistinctRequests()
    {
        Assert.True(HostileCorpus.All.Count >= 150, $"{HostileCorpus.All.Count} requests");
        Assert.Equal(HostileCorpus.All.Count, HostileCorpus.All.Select(r => r.Id).Distinct().Count());
    }

    /// <summary>
    /// The template-syntax family reaches every string a spec can hold: the spec's types, walked member by member
    /// (a string, a dictionary's keys and values, the records and lists holding them), name exactly the members the
    /// corpus sets. A string added to the spec fails here until the corpus sets it.
    /// </summary>
    [Fact]
    public void TheTemplateSyntaxFamilyCoversEveryStringOfTheSpec()
    {
        var members = new SortedSet<string>(StringComparer.Ordinal);
        Walk(typeof(Portal.Infra.Environments.EnvironmentSpec), members, []);

        Assert.Equal(members, new SortedSet<string>(HostileCorpus.SpecTextFields.Select(f => f.Member), StringComparer.Ordinal));
        Assert.All(HostileCorpus.SpecTextFields, field => Assert.All(HostileCorpus.TemplateSyntaxStrings.Keys,
            what => Assert.Contains(HostileCorpus.All, r => r.Id == $"{field.Field} holding {what}")));
    }

    private static void Walk(Type type, ISet<string> members, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return;
        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true) || property.GetIndexParameters().Length > 0) continue;
            var name = $"{property.DeclaringType!.Name}.{property.Name}";
            var propertyType = property.PropertyType;
            if (propertyType == typeof(string))
                members.Add(name);
            else if (propertyType == typeof(IReadOnlyDictionary<string, string>))
                members.UnionWith([$"{name}[key]", $"{name}[value]"]);
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                Walk(propertyType.GetGenericArguments()[0], members, seen);
            else if (propertyType.Namespace == type.Namespace && propertyType.IsClass)
                Walk(propertyType, members, seen);
            else
                Assert.True(propertyType.IsValueType, $"{name} is a {propertyType.Name}: say whether it can hold text");
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task IsRefusedNamingTheFieldAndWritesNothing(string id)
    {
        var hostile = HostileCorpus.Get(id);
        var victims = await VictimsAsync();
        var before = await WrittenRows.CountAsync(host);

        using var client = host.Api(null);
        using var request = hostile.Build(victims);
        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(hostile.Status == response.StatusCode, $"{(int)response.StatusCode}, expected {(int)hostile.Status}: {Shorten(body)}");
        if (hostile.Field is null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            var errors = await response.FieldErrorsAsync();
            var named = errors.Where(e => Names(e.Key, hostile.Field)).SelectMany(e => e.Value).ToList();
            Assert.True(named.Count > 0, $"no error names {hostile.Field}: {string.Join(", ", errors.Keys)}");
            if (hostile.Message is { } message)
                Assert.True(named.Any(m => m.Contains(message, StringComparison.Ordinal)), $"no error on {hostile.Field} says \"{message}\": {string.Join(" | ", named)}");
        }
        Assert.True(body.Length < 16 * 1024, $"the answer is {body.Length:N0} characters long");
        Assert.Equal(before, await WrittenRows.CountAsync(host));
        // The portal keeps serving, and the victim still waits for a decision.
        using var next = await host.Api("alice").GetAsync($"/api/environments/{victims.Requested}/revisions/1");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("AwaitingApproval", (await next.JsonAsync()).GetProperty("status").GetString());
    }

    /// <summary>The key is the field, or a member or item of it (<c>frontend.environment["a b"]</c>).</summary>
    private static bool Names(string key, string field) =>
        key == field || key.StartsWith(field + "[", StringComparison.Ordinal) || key.StartsWith(field + ".", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;

    /// <summary>alice's environment awaiting approval and her deployed one, made once for the whole corpus.</summary>
    private async Task<Victims> VictimsAsync()
    {
        await VictimLock.WaitAsync();
        try
        {
            if (_victims is null)
            {
                var requested = await host.RequestedByAliceAsync("hostile");
                var deployed = await host.DeployedForAliceAsync("hostile-deployed");
                using var events = await host.Api("alice").GetAsync($"/api/environments/{deployed}/events");
                var service = (await events.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
                    .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
                _victims = new Victims(requested, deployed, service);
            }

            return _victims;
        }
        finally
        {
            VictimLock.Release();
        }
    }
}
