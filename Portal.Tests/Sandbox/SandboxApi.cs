using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Portal.Tests.Sandbox;

/// <summary>An error reply in the Query protocol's ErrorResponse shape.</summary>
internal sealed record QueryError(HttpStatusCode Status, string Type, string Code, string Message, string RequestId);

internal sealed class QueryErrorException(QueryError error) : Exception($"{error.Status} {error.Code}: {error.Message}")
{
    public QueryError Error { get; } = error;
}

/// <summary>
/// Raw CloudFormation Query calls over HttpClient, as any AWS client sends them, signed (<see cref="SandboxSigning"/>)
/// with <paramref name="credentials"/> (the sandbox's development ones by default) at <paramref name="clock"/>'s time.
/// </summary>
internal sealed class SandboxApi(Uri url, AWSCredentials? credentials = null, TimeProvider? clock = null) : IDisposable
{
    public static readonly XNamespace Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { BaseAddress = url };

    public AWSCredentials Credentials { get; } = credentials ?? SandboxSigning.DevelopmentCredentials;
    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    public void Dispose() => _http.Dispose();

    /// <summary>Changes a signed request before it is sent: its Authorization header becomes <paramref name="authorization"/> (null: none).</summary>
    public static Func<HttpRequestMessage, Task> WithAuthorization(string? authorization) => request =>
    {
        request.Headers.Remove("Authorization");
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Task.CompletedTask;
    };

    /// <summary>One call as a form post, signed.</summary>
    public async Task<HttpRequestMessage> SignedRequestAsync(
        string action, IEnumerable<(string Key, string Value)> parameters, CancellationToken cancellationToken = default)
    {
        var form = new[] { ("Action", action), ("Version", "2010-05-15") }.Concat(parameters)
            .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2));
        var request = new HttpRequestMessage(HttpMethod.Post, _http.BaseAddress) { Content = new FormUrlEncodedContent(form) };
        await SandboxSigning.SignAsync(request, Credentials, Clock.GetUtcNow(), cancellationToken);
        return request;
    }

    /// <summary>Sends one call, signed, then changed by <paramref name="afterSigning"/> if given; returns the status and the parsed reply.</summary>
    public async Task<(HttpStatusCode Status, XElement Body)> SendAsync(
        string action, IEnumerable<(string Key, string Value)> parameters, Func<HttpRequestMessage, Task>? afterSigning = null,
        CancellationToken cancellationToken = default)
    {
        using var request = await SignedRequestAsync(action, parameters, cancellationToken);
        if (afterSigning is not null)
            await afterSigning(request);
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = XElement.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, body);
    }

    /// <summary>Sends one call and returns its Result element; an error reply throws <see cref="QueryErrorException"/>.</summary>
    public async Task<XElement?> CallAsync(string action, params (string Key, string Value)[] parameters)
    {
        var (status, body) = await SendAsync(action, parameters);
        if (status != HttpStatusCode.OK)
            throw new QueryErrorException(ParseError(status, body));
        Assert.Equal(Ns + $"{action}Response", body.Name);
        Assert.False(string.IsNullOrEmpty(body.Element(Ns + "ResponseMetadata")?.Element(Ns + "RequestId")?.Value));
        return body.Element(Ns + $"{action}Result");
    }

    public async Task<QueryError> ErrorAsync(string action, params (string Key, string Value)[] parameters)
    {
        var (status, body) = await SendAsync(action, parameters);
        return ParseError(status, body);
    }

    public static QueryError ParseError(HttpStatusCode status, XElement body)
    {
        Assert.Equal(Ns + "ErrorResponse", body.Name);
        var error = body.Element(Ns + "Error")!;
        return new QueryError(status, error.Element(Ns + "Type")!.Value, error.Element(Ns + "Code")!.Value,
            error.Element(Ns + "Message")!.Value, body.Element(Ns + "RequestId")!.Value);
    }

    public async Task<string> CreateChangeSetAsync(string stackName, string changeSetName, string template, string type = "CREATE",
        params (string Key, string Value)[] extra)
    {
        var result = await CallAsync("CreateChangeSet", [
            ("StackName", stackName), ("ChangeSetName", changeSetName), ("ChangeSetType", type), ("TemplateBody", template),
            ("Capabilities.member.1", "CAPABILITY_IAM"), .. extra]);
        Assert.StartsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/" + stackName + "/", result!.Element(Ns + "StackId")!.Value);
        return result.Element(Ns + "Id")!.Value;
    }

    /// <summary>Describes a change set until it is no longer being created; returns every page's changes too.</summary>
    public async Task<(XElement ChangeSet, List<XElement> Changes)> WaitForChangeSetAsync(string changeSetId)
    {
        var described = await PollAsync(
            () => CallAsync("DescribeChangeSet", ("ChangeSetName", changeSetId)),
            r => r!.Element(Ns + "Status")!.Value is not ("CREATE_PENDING" or "CREATE_IN_PROGRESS"));
        var changes = new List<XElement>();
        var page = described;
        while (true)
        {
            changes.AddRange(page!.Element(Ns + "Changes")!.Elements(Ns + "member").Select(m => m.Element(Ns + "ResourceChange")!));
            if (page.Element(Ns + "NextToken")?.Value is not { } token)
                break;
            page = await CallAsync("DescribeChangeSet", ("ChangeSetName", changeSetId), ("NextToken", token));
        }
        return (described!, changes);
    }

    public async Task<XElement> DescribeStackAsync(string stackName) =>
        (await CallAsync("DescribeStacks", ("StackName", stackName)))!.Element(Ns + "Stacks")!.Element(Ns + "member")!;

    /// <summary>Polls DescribeStacks until the stack's status is no longer in progress.</summary>
    public Task<XElement> WaitForStackAsync(string stackName) =>
        PollAsync(() => DescribeStackAsync(stackName), s => !Status(s).EndsWith("_IN_PROGRESS", StringComparison.Ordinal));

    public async Task<XElement> ExecuteAndWaitAsync(string changeSetId, string stackName)
    {
        await CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
        return await WaitForStackAsync(stackName);
    }

    /// <summary>Every event of the stack, following NextToken, newest first.</summary>
    public async Task<List<StackEventRow>> AllEventsAsync(string stackName)
    {
        var events = new List<StackEventRow>();
        string? token = null;
        do
        {
            var result = await CallAsync("DescribeStackEvents", token is null ? [("StackName", stackName)] : [("StackName", stackName), ("NextToken", token)]);
            events.AddRange(result!.Element(Ns + "StackEvents")!.Elements(Ns + "member").Select(StackEventRow.From));
            token = result.Element(Ns + "NextToken")?.Value;
        } while (token is not null);
        return events;
    }

    public static string Status(XElement stack) => stack.Element(Ns + "StackStatus")!.Value;

    public static Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done) =>
        Poll.UntilAsync(probe, done, last => $"Condition not reached within {Deadline}; last value: {last}", Deadline, TimeSpan.FromMilliseconds(10));
}

internal sealed record StackEventRow(
    string EventId, string LogicalResourceId, string PhysicalResourceId, string ResourceType, DateTimeOffset Timestamp,
    string ResourceStatus, string? ResourceStatusReason, string? ClientRequestToken)
{
    private static readonly XNamespace Ns = SandboxApi.Ns;

    public static StackEventRow From(XElement member) => new(
        member.Element(Ns + "EventId")!.Value,
        member.Element(Ns + "LogicalResourceId")!.Value,
        member.Element(Ns + "PhysicalResourceId")!.Value,
        member.Element(Ns + "ResourceType")!.Value,
        DateTimeOffset.Parse(member.Element(Ns + "Timestamp")!.Value, System.Globalization.CultureInfo.InvariantCulture),
        member.Element(Ns + "ResourceStatus")!.Value,
        member.Element(Ns + "ResourceStatusReason")?.Value,
        member.Element(Ns + "ClientRequestToken")?.Value);

    public bool IsStack => ResourceType == "AWS::CloudFormation::Stack";
}
