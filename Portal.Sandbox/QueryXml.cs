using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Portal.Sandbox;

/// <summary>XML replies of the AWS Query protocol, in CloudFormation's namespace unless another service's is given.</summary>
internal static class QueryXml
{
    public static readonly XNamespace Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    public static XElement E(string name, params object?[] content) => new(Namespace + name, content);

    public static XElement? Optional(string name, string? value) => value is null ? null : E(name, value);

    /// <summary>A list: <c>&lt;Name&gt;&lt;member&gt;…&lt;/member&gt;…&lt;/Name&gt;</c>.</summary>
    public static XElement Members<T>(string name, IEnumerable<T> items, Func<T, object?> member) =>
        E(name, items.Select(i => E("member", member(i))));

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static XElement Response(string action, string requestId, XElement? result, XNamespace? ns = null)
    {
        ns ??= Namespace;
        return new XElement(ns + $"{action}Response", result, new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));
    }

    public static XElement Error(CloudFormationError error, string requestId, XNamespace? ns = null)
    {
        ns ??= Namespace;
        return new XElement(ns + "ErrorResponse",
            new XElement(ns + "Error", new XElement(ns + "Type", error.FaultType), new XElement(ns + "Code", error.Code), new XElement(ns + "Message", error.Message)),
            new XElement(ns + "RequestId", requestId));
    }

    public static async Task WriteAsync(HttpResponse response, HttpStatusCode status, XElement body, string requestId, CancellationToken cancellationToken)
    {
        response.StatusCode = (int)status;
        response.ContentType = "text/xml";
        response.Headers["x-amzn-RequestId"] = requestId;
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false), Async = true };
        await using var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, settings))
            await body.WriteToAsync(writer, cancellationToken);
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, cancellationToken);
    }
}
