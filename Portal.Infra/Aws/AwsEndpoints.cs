using Amazon;

namespace Portal.Infra.Aws;

/// <summary>Where a service answers, from its signing name (which is also its endpoint prefix and its path in the sandbox).</summary>
public static class AwsEndpoints
{
    /// <summary><c>https://&lt;service&gt;.&lt;region&gt;.amazonaws.com/</c>, or the partition's suffix (<c>.com.cn</c> in China).</summary>
    public static Uri Regional(string service, string region) =>
        new($"https://{service}.{region}.{RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix}/");

    /// <summary>
    /// The path beside <paramref name="url"/> named <paramref name="service"/>, as the sandbox lays out its services:
    /// <c>…/sandbox/cloudformation</c> → <c>…/sandbox/ecs</c>; a URL at the root gets <c>/ecs</c>.
    /// </summary>
    public static Uri Beside(Uri url, string service) =>
        new(new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/')), service);
}
