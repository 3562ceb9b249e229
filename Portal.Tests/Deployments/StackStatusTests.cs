using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using static Portal.Tests.Deployments.ScriptedStack;

namespace Portal.Tests.Deployments;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class StackStatusTests
{
    [Theory]
    [InlineData("CREATE_COMPLETE", StackStatusKind.Complete)]
    [InlineData("UPDATE_COMPLETE", StackStatusKind.Complete)]
    [InlineData("DELETE_COMPLETE", StackStatusKind.Complete)]
    [InlineData("IMPORT_COMPLETE", StackStatusKind.Complete)]
    [InlineData("ROLLBACK_COMPLETE", StackStatusKind.RolledBack)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", StackStatusKind.RolledBack)]
    [InlineData("IMPORT_ROLLBACK_COMPLETE", StackStatusKind.RolledBack)]
    [InlineData("CREATE_FAILED", StackStatusKind.Failed)]
    [InlineData("ROLLBACK_FAILED", StackStatusKind.Failed)]
    [InlineData("DELETE_FAILED", StackStatusKind.Failed)]
    [InlineData("UPDATE_FAILED", StackStatusKind.Failed)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StackStatusKind.Failed)]
    [InlineData("IMPORT_ROLLBACK_FAILED", StackStatusKind.Failed)]
    [InlineData("CREATE_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("ROLLBACK_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("DELETE_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("UPDATE_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("REVIEW_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("IMPORT_IN_PROGRESS", StackStatusKind.InProgress)]
    [InlineData("IMPORT_ROLLBACK_IN_PROGRESS", StackStatusKind.InProgress)]
    public void EveryDocumentedStatusHasItsMeaning(string status, StackStatusKind kind)
    {
        Assert.Contains(status, StackStatus.All);
        Assert.Equal(kind, StackStatus.Kind(status));
        Assert.Equal(kind != StackStatusKind.InProgress, StackStatus.IsTerminal(status));
        Assert.Equal(kind == StackStatusKind.Complete, StackStatus.IsSuccess(status));
    }

    [Fact]
    public void AllListsThe23DocumentedStatuses() => Assert.Equal(23, StackStatus.All.Count);

    [Fact]
    public void AStatusAddedLaterIsJudgedByItsSuffix()
    {
        Assert.Equal(StackStatusKind.InProgress, StackStatus.Kind("EXPORT_IN_PROGRESS"));
        Assert.Equal(StackStatusKind.RolledBack, StackStatus.Kind("EXPORT_ROLLBACK_COMPLETE"));
        Assert.Equal(StackStatusKind.Failed, StackStatus.Kind("EXPORT_FAILED"));
        Assert.Throws<ArgumentException>(() => StackStatus.Kind("HAPPY"));
    }

    [Theory]
    [InlineData(null, ChangeSetType.Create)]
    [InlineData("REVIEW_IN_PROGRESS", ChangeSetType.Create)]
    [InlineData("DELETE_COMPLETE", ChangeSetType.Create)]
    [InlineData("CREATE_COMPLETE", ChangeSetType.Update)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", ChangeSetType.Update)]
    public void AStackThatDoesNotExistYetGetsACREATEChangeSet(string? status, ChangeSetType type) =>
        Assert.Equal(type, StackStatus.ChangeSetTypeFor(status));

    [Theory]
    [InlineData("ROLLBACK_COMPLETE", true)]
    [InlineData("CREATE_FAILED", true)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", false)]
    public void AStackWhoseFirstCreateFailedMustBeDeletedBeforeARetry(string status, bool mustDelete) =>
        Assert.Equal(mustDelete, StackStatus.MustBeDeletedBeforeRetry(status));

    [Fact]
    public void ACancellationRecordedBeforeTheRealFailureIsStillPassedOver()
    {
        StackEvent[] events =
        [
            StackLine(1, "UPDATE_IN_PROGRESS", "User Initiated"),
            Event(5, "Frontend", "AWS::ECS::Service", "UPDATE_FAILED", "Resource update cancelled"),
            Event(6, "Backend", "AWS::ECS::Service", "UPDATE_FAILED", "Service did not stabilize"),
            StackLine(7, "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [Frontend, Backend]."),
        ];

        var cause = RootCause.Find(events, Name, null);

        Assert.Equal("Backend", cause!.LogicalResourceId);
        Assert.Equal("Backend (AWS::ECS::Service): Service did not stabilize", cause.ToString());
    }

    [Fact]
    public void WithoutAResourceFailureTheStackReasonIsTheCause()
    {
        var cause = RootCause.Find([StackLine(1, "UPDATE_IN_PROGRESS", "User Initiated")], Name, "Role arn:aws:iam::1:role/x is invalid or cannot be assumed");

        Assert.Equal(new RootCause { LogicalResourceId = Name, Reason = "Role arn:aws:iam::1:role/x is invalid or cannot be assumed" }, cause);
        Assert.Null(RootCause.Find([], Name, null));
    }
}
