using Microsoft.Extensions.Configuration;
using Portal.Infra.Environments;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;
using Portal.Tests.Environments;
using Portal.Web.Components.Requests;

namespace Portal.Tests.Web;

/// <summary>The request form's model: it holds every spec field, and every server error lands on a field the user sees.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RequestFormTests
{
    private static readonly EnvironmentRequestValidator Validator = new(new ConfigurationTargetPolicy(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Targets:sandbox:Kind"] = "Sandbox" }).Build()));

    [Theory]
    [InlineData(SpecSamples.OrdersDev)]
    [InlineData(SpecSamples.PaymentsTest)]
    public void TheFormHoldsEveryFieldOfASpec(string sample)
    {
        var spec = SpecSamples.Load(sample);

        Assert.Equal(spec, SpecForm.From(spec).ToSpec());
    }

    [Fact]
    public void EveryValidationErrorIsShownOnAFieldOfTheForm()
    {
        var form = SpecForm.New("sandbox");
        form.Name = "Orders_Dev";
        form.Frontend.Repository = "https://example.com/web";
        form.Frontend.Tag = "-bad";
        form.Frontend.ContainerPort = 0;
        form.Frontend.DesiredCount = 99;
        form.Frontend.HealthCheckPath = "health";
        form.Frontend.Environment.Add(new VariableRow { Name = "MY VAR", Value = "x" });
        form.Frontend.Environment.Add(new VariableRow { Name = "BACKEND_URL", Value = "x" });
        form.Backend.Pin = ImagePin.Digest;
        form.Backend.Digest = "sha256:XYZ";
        form.Backend.ListenerPort = 70000;
        form.Backend.Secrets.Add(new SecretRow { Name = "", SecretArn = "arn:nope", VersionStage = "AWSCURRENT", VersionId = new string('a', 32) });

        var errors = form.Validate(Validator.Validate);

        Assert.True(errors.Count >= 12, string.Join("\n", errors));
        var placed = form.FieldPaths();
        Assert.All(errors, error => Assert.Contains(error.Field, placed));
    }

    [Fact]
    public void AVariableTypedTwiceIsAnErrorOnItsRow()
    {
        var form = SpecForm.From(SpecSamples.Load(SpecSamples.OrdersDev));
        form.Frontend.Environment.Add(new VariableRow { Name = "LOG_LEVEL", Value = "debug" });

        var error = Assert.Single(form.Validate(Validator.Validate));

        Assert.Equal("frontend.environment.LOG_LEVEL", error.Field);
        Assert.Contains("defined 2 times", error.Message);
    }

    [Fact]
    public void ErrorsShowOnTouchedFieldsAndContainersThenEverywhereAfterSubmit()
    {
        var errors = new FormErrors();
        errors.Set(
        [
            new FieldError("name", "bad name"),
            new FieldError("frontend.secrets", "too many"),
            new FieldError("frontend.secrets[0].name", "bad secret name"),
            new FieldError("backend.cpu", "bad cpu"),
        ]);

        errors.Touch("frontend.secrets[0].name");

        Assert.Null(errors.Text("name"));
        Assert.Equal("bad secret name", errors.Text("frontend.secrets[0].name"));
        Assert.Equal("too many", errors.Text("frontend.secrets"));
        Assert.Null(errors.Text("backend.cpu"));
        errors.ShowAll();
        Assert.Equal("bad name", errors.Text("name"));
        Assert.Equal("bad cpu", errors.Text("backend.cpu"));
    }

    [Fact]
    public void ErrorsNoFieldShowsAreListedForTheirSection()
    {
        var errors = new FormErrors();
        errors.Set([new FieldError("frontend.environment[\"x… (300 characters)\"]", "too long"), new FieldError("name", "bad")]);
        errors.ShowAll();

        var unplaced = errors.Unplaced(SpecForm.New("sandbox").FieldPaths(), "frontend");

        Assert.Equal("too long", Assert.Single(unplaced).Message);
    }
}
