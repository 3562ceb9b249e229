using System.Net;
using Amazon.Runtime;
using Portal.Infra.CloudFormation;

namespace Portal.Tests.CloudFormation;

/// <summary>
/// Whatever answers at a target's endpoint (an emulator, a proxy, a hijacked DNS name), its reply cannot make the portal
/// expand entities or read without end: a document type declaration is refused, and a reply over
/// <see cref="CloudFormationClientOptions.MaxReplyBytes"/> is a <see cref="CloudFormationException"/> read no further.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class HostileReplyTests
{
    private const int MaxReplyBytes = 64 * 1024;

    /// <summary>A billion laughs: a few hundred bytes that expand to gigabytes of text.</summary>
    private const string EntityBomb = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult><Stacks><member><StackName>&lol9;</StackName></member></Stacks></DescribeStacksResult>
        </DescribeStacksResponse>
        """;

    private static CloudFormationClient Client(ScriptedHttp http) =>
        CloudFormationClient.Create(new Uri("https://cloudformation.us-east-1.amazonaws.com/"), new BasicAWSCredentials("AKIDTESTPORTAL", "test"), "us-east-1",
            new CloudFormationClientOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, MaxReplyBytes = MaxReplyBytes },
            transport: http);

    [Fact]
    public async Task AReplyWithADocumentTypeDeclarationIsRefusedUnexpanded()
    {
        using var client = Client(new ScriptedHttp().Reply(EntityBomb));

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "s" }));

        Assert.Equal("MalformedResponse", error.ErrorCode);
        Assert.Contains("DTD is prohibited", error.ErrorMessage);
    }

    [Fact]
    public async Task AnErrorReplyWithADocumentTypeDeclarationIsReportedByItsStatusUnexpanded()
    {
        using var client = Client(new ScriptedHttp().Reply(EntityBomb, HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "s" }));

        Assert.Equal("BadRequest", error.ErrorCode);
        Assert.DoesNotContain("lollol", error.Message);
    }

    [Fact]
    public async Task AReplyAnnouncedLargerThanTheLimitIsRefusedBeforeItIsRead()
    {
        var body = new CountingStream(MaxReplyBytes + 1);
        var http = new ScriptedHttp().Then((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(body) { Headers = { ContentLength = MaxReplyBytes + 1 } },
        }));
        using var client = Client(http);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "s" }));

        Assert.Equal("ReplyTooLarge", error.ErrorCode);
        Assert.Equal($"Unreadable reply: more than {MaxReplyBytes:N0} bytes (CloudFormation:MaxReplyBytes).", error.ErrorMessage);
        Assert.Equal(0, body.Served);
        Assert.Single(http.Sent); // a reply that size will not shrink on a retry
    }

    [Fact]
    public async Task AnEndlessReplyIsReadNoFurtherThanTheLimit()
    {
        var body = new CountingStream(long.MaxValue);
        var http = new ScriptedHttp().Then((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) }));
        using var client = Client(http);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "s" }));

        Assert.Equal("ReplyTooLarge", error.ErrorCode);
        Assert.InRange(body.Served, MaxReplyBytes, MaxReplyBytes + 128 * 1024);
    }

    [Fact]
    public async Task AReplyWithinTheLimitIsReadAsBefore()
    {
        var xml = $"""
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult><Stacks><member>
                <StackName>s</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s/1</StackId>
                <StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2025-01-01T00:00:00Z</CreationTime>
                <Description>{new string('d', MaxReplyBytes - 1024)}</Description>
              </member></Stacks></DescribeStacksResult>
            </DescribeStacksResponse>
            """;
        using var client = Client(new ScriptedHttp().Reply(xml));

        var response = await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "s" });

        Assert.Equal("CREATE_COMPLETE", Assert.Single(response.Stacks).StackStatus);
    }

    /// <summary>A body of <c>x</c> bytes, <paramref name="length"/> long, counting what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        private long _served;

        public long Served => Interlocked.Read(ref _served);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _served);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            Interlocked.Add(ref _served, n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
