using Portal.Infra.Configuration;
using Portal.Web;
using Portal.Web.Identity;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddPortalDefaults(builder.Environment.EnvironmentName);

builder.AddPortalIdentity();
builder.AddPortalWeb();

var app = builder.Build();

app.UsePortalWeb();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
