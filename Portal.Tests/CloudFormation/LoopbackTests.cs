using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.CloudFormation;
using static Portal.Tests.CloudFormation.DocumentedExamples;

namespace Portal.Tests.CloudFormation;

/// <summary>The client's own transport over real HTTP on 127.0.0.1, as it talks to the sandbox or an emulator.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class LoopbackTests
{
    [Fact]
    public async Task ASignedFormPostReachesALoopbackEndpointAndItsReplyIsRead()
    {
        var received = new List<(string? Authorization, string? ContentType, string Action, string StackName)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/cloudformation", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            lock (received)
                received.Add((request.Headers.Authorization, request.ContentType, form["Action"]!, form["StackName"]!));
            return Results.Text(DescribeStacksXml, "text/xml");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var client = CloudFormationClient.Create(new Uri(address + "/cloudformation"), new BasicAWSCredentials("AKIDTESTPORTAL", "test"), "us-east-1");
        var stack = (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" })).Stacks.Single();

        Assert.Equal("CREATE_COMPLETE", stack.StackStatus);
        var (authorization, contentType, action, stackName) = Assert.Single(received);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTESTPORTAL/", authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", contentType);
        Assert.Equal(("DescribeStacks", "MyStack"), (action, stackName));
    }

    [Fact]
    public async Task AClosedLoopbackPortIsRetriedAndThenReportedAsUnreachable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var client = CloudFormationClient.Create(new Uri($"http://127.0.0.1:{port}/"), new BasicAWSCredentials("AKIDTESTPORTAL", "test"), "us-east-1",
            new CloudFormationClientOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "MyStack" }));

        Assert.Contains($"could not reach http://127.0.0.1:{port}/ (3 attempts)", error.Message);
    }
}
