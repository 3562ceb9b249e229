using System.Xml;
using System.Xml.Linq;
using static Portal.Infra.Aws.QueryXml;

namespace Portal.Infra.Aws;

/// <summary>The <c>&lt;Action&gt;Result</c> element of a Query reply (absent for actions that return nothing) and its request id.</summary>
internal sealed record QueryReply(XElement? Result, string? RequestId);

/// <summary>
/// The AWS Query protocol (CloudFormation, Elastic Load Balancing): a form POST per call with the API's
/// <c>Version</c>, an XML reply, errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>.
/// </summary>
internal sealed class QueryProtocol(AwsTransport transport, string version)
{
    /// <summary>
    /// Query replies never declare a document type: one that does is refused unread, so no entity is expanded (nor
    /// fetched) whatever answers at the endpoint.
    /// </summary>
    private static readonly XmlReaderSettings ReplyXml = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <summary>Sends <paramref name="form"/> and reads its reply with <paramref name="read"/>.</summary>
    public async Task<T> SendAsync<T>(QueryForm form, bool retryable, Func<QueryReply, T> read, CancellationToken cancellationToken)
    {
        var sent = await transport.SendAsync(
            form.Action, () => new HttpRequestMessage(HttpMethod.Post, transport.Endpoint) { Content = form.ToContent(version) },
            ReadError, retryable, cancellationToken);
        XElement root;
        try
        {
            root = ParseXml(sent.Body).Root!;
        }
        catch (XmlException ex)
        {
            throw transport.Malformed(form.Action, ex.Message, sent.RequestId);
        }
        var reply = new QueryReply(Child(root, form.Action + "Result"), Text(Child(root, "ResponseMetadata"), "RequestId") ?? sent.RequestId);
        try
        {
            return read(reply);
        }
        catch (UnreadableReplyException ex)
        {
            throw transport.Malformed(form.Action, ex.Message, reply.RequestId);
        }
    }

    private static XDocument ParseXml(string body)
    {
        using var reader = XmlReader.Create(new StringReader(body), ReplyXml);
        return XDocument.Load(reader);
    }

    private static AwsErrorReply? ReadError(HttpResponseMessage response, string body)
    {
        XElement? root;
        try
        {
            root = ParseXml(body).Root;
        }
        catch (XmlException)
        {
            return null;
        }
        var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
        return error is null ? null : new AwsErrorReply(Text(error, "Code"), Text(error, "Message"), Text(error, "Type"), Text(root, "RequestId"));
    }
}
