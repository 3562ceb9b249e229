using Portal.Jobs.Workflow;
using Portal.Web.Components.Requests;

namespace Portal.Tests.Hostile;

/// <summary>A number field holding no whole number keeps what was typed, says what is wrong with it, and never reads it as 0.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class NumberFieldTests
{
    [Fact]
    public void AnOverflowingPortIsKeptAsTypedAndRefusedNamingIt()
    {
        var form = SpecForm.New("sandbox");
        var before = form.Frontend.ContainerPort;

        form.Frontend.SetNumber("containerPort", "99999999999", n => form.Frontend.ContainerPort = n);

        Assert.Equal(before, form.Frontend.ContainerPort);
        Assert.Equal("99999999999", form.Frontend.NumberText("containerPort", form.Frontend.ContainerPort));
        var errors = form.Validate(_ => [new FieldError("frontend.containerPort", "a verdict on the last readable value")]);
        Assert.Equal(
            [new FieldError("frontend.containerPort", "\"99999999999\" is not a valid port: give a whole number from 1 to 65535.")],
            errors);
    }

    [Fact]
    public void AWholeNumberTypedAfterwardsIsTakenAndTheErrorGoes()
    {
        var form = SpecForm.New("sandbox");
        form.Frontend.SetNumber("desiredCount", "1e99", n => form.Frontend.DesiredCount = n);

        form.Frontend.SetNumber("desiredCount", "3", n => form.Frontend.DesiredCount = n);

        Assert.Equal(3, form.Frontend.DesiredCount);
        Assert.Empty(form.Validate(_ => []));
    }
}
