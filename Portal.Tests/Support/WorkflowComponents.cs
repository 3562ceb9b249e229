using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Infra.Costs;
using Portal.Infra.Targets;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;
using Portal.Tests.Costs;
using Portal.Tests.Workflow;
using Portal.Web.Identity;

namespace Portal.Tests.Support;

/// <summary>
/// A bUnit context for pages that run the workflow: the workflow on a SQLite file under <paramref name="root"/>, the
/// tests' placeholder schedulers, the cost table, one Sandbox target, MudBlazor, and <paramref name="user"/> signed in
/// with <paramref name="role"/>. <paramref name="settings"/> add to the configuration.
/// </summary>
internal static class WorkflowComponents
{
    public static BunitContext Context(string root, string user, string role, IReadOnlyDictionary<string, string?> settings)
    {
        var context = new BunitContext();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(root, "data"),
            ["Targets:sandbox:Kind"] = "Sandbox",
        }).AddInMemoryCollection(settings).Build();
        context.Services.AddMudServices();
        context.Services.AddPortalWorkflow(configuration).AddPlaceholderSchedulers();
        context.Services.AddSingleton(new CostEstimator(
            Options.Create(CostEstimatorTests.Table()), Options.Create(new TargetOptions { ["sandbox"] = new Target { Kind = TargetKind.Sandbox } })));
        context.AddAuthorization().SetAuthorized(user).SetRoles(role).SetClaims(
            new Claim(PortalActor.SubjectClaim, user), new Claim(PortalActor.IssuerClaim, PersonId.DevelopmentIssuer));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }
}
