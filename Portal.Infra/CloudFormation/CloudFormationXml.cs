using System.Xml.Linq;
using Portal.Infra.Aws;
using static Portal.Infra.Aws.QueryXml;

namespace Portal.Infra.CloudFormation;

/// <summary>Reads CloudFormation's XML replies (API version 2010-05-15) into the model records.</summary>
internal static class CloudFormationXml
{
    public static IReadOnlyList<Tag> Tags(XElement? parent) =>
        Members(parent, "Tags").Select(m => new Tag { Key = Text(m, "Key") ?? "", Value = Text(m, "Value") ?? "" }).ToList();

    public static StackEvent StackEvent(XElement m) => new()
    {
        EventId = Required(m, "EventId"),
        StackId = Required(m, "StackId"),
        StackName = Required(m, "StackName"),
        LogicalResourceId = Text(m, "LogicalResourceId"),
        PhysicalResourceId = Text(m, "PhysicalResourceId"),
        ResourceType = Text(m, "ResourceType"),
        Timestamp = Time(m, "Timestamp") ?? throw new UnreadableReplyException("a stack event has no <Timestamp>"),
        ResourceStatus = Text(m, "ResourceStatus"),
        ResourceStatusReason = Text(m, "ResourceStatusReason"),
        ClientRequestToken = Text(m, "ClientRequestToken"),
    };

    public static Stack Stack(XElement m) => new()
    {
        StackId = Required(m, "StackId"),
        StackName = Required(m, "StackName"),
        Description = Text(m, "Description"),
        StackStatus = Required(m, "StackStatus"),
        StackStatusReason = Text(m, "StackStatusReason"),
        CreationTime = Time(m, "CreationTime") ?? default,
        LastUpdatedTime = Time(m, "LastUpdatedTime"),
        DeletionTime = Time(m, "DeletionTime"),
        DisableRollback = Bool(m, "DisableRollback"),
        RoleARN = Text(m, "RoleARN"),
        Capabilities = Strings(m, "Capabilities"),
        Outputs = Members(m, "Outputs").Select(o => new Output
        {
            OutputKey = Required(o, "OutputKey"),
            OutputValue = Text(o, "OutputValue"),
            Description = Text(o, "Description"),
            ExportName = Text(o, "ExportName"),
        }).ToList(),
        Tags = Tags(m),
    };

    public static Change Change(XElement m) => new()
    {
        Type = Text(m, "Type"),
        ResourceChange = Child(m, "ResourceChange") is { } rc
            ? new ResourceChange
            {
                Action = Required(rc, "Action"),
                LogicalResourceId = Required(rc, "LogicalResourceId"),
                PhysicalResourceId = Text(rc, "PhysicalResourceId"),
                ResourceType = Required(rc, "ResourceType"),
                Replacement = Text(rc, "Replacement"),
                Scope = Strings(rc, "Scope"),
                Details = Members(rc, "Details").Select(d => new ResourceChangeDetail
                {
                    Target = Child(d, "Target") is { } t
                        ? new ResourceTargetDefinition
                        {
                            Attribute = Text(t, "Attribute"),
                            Name = Text(t, "Name"),
                            RequiresRecreation = Text(t, "RequiresRecreation"),
                        }
                        : null,
                    Evaluation = Text(d, "Evaluation"),
                    ChangeSource = Text(d, "ChangeSource"),
                    CausingEntity = Text(d, "CausingEntity"),
                }).ToList(),
            }
            : null,
    };

    public static StackResourceDrift StackResourceDrift(XElement m) => new()
    {
        StackId = Required(m, "StackId"),
        LogicalResourceId = Required(m, "LogicalResourceId"),
        PhysicalResourceId = Text(m, "PhysicalResourceId"),
        ResourceType = Required(m, "ResourceType"),
        ExpectedProperties = Text(m, "ExpectedProperties"),
        ActualProperties = Text(m, "ActualProperties"),
        PropertyDifferences = Members(m, "PropertyDifferences").Select(d => new PropertyDifference
        {
            PropertyPath = Required(d, "PropertyPath"),
            ExpectedValue = Text(d, "ExpectedValue") ?? "",
            ActualValue = Text(d, "ActualValue") ?? "",
            DifferenceType = Required(d, "DifferenceType"),
        }).ToList(),
        StackResourceDriftStatus = Required(m, "StackResourceDriftStatus"),
        Timestamp = Time(m, "Timestamp") ?? default,
    };
}
