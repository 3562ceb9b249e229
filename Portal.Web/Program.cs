using Portal.Infra;
using Portal.Infra.Configuration;
using Portal.Jobs;
using Portal.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddPortalDefaults(builder.Environment.EnvironmentName);

builder.Services.AddPortalInfra(builder.Configuration);
builder.Services.AddPortalCostEstimates(builder.Configuration);
builder.Services.AddPortalWorkflow(builder.Configuration);
builder.Services.AddPortalJobs(builder.Configuration);
builder.AddPortalWeb();

var app = builder.Build();

app.UsePortalWeb();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
