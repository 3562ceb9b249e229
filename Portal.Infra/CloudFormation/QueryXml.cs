using System.Globalization;
using System.Xml.Linq;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// Reads CloudFormation's XML replies into the model records. Elements are matched by local name so that
/// emulators which drop the 2010-05-15 namespace are read the same way.
/// </summary>
internal static class QueryXml
{
    public static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
        Child(parent, listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static IReadOnlyList<string> Strings(XElement? parent, string listName) =>
        Members(parent, listName).Select(m => m.Value).ToList();

    public static DateTime? Time(XElement? parent, string name) =>
        Text(parent, name) is { Length: > 0 } value
            ? DateTime.Parse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    public static bool Bool(XElement? parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    public static int? Int(XElement? parent, string name, string action) =>
        Text(parent, name) is { Length: > 0 } value
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Malformed(action, $"<{name}> is not a number: '{value}'")
            : null;

    public static string Required(XElement? element, string name, string action) =>
        Text(element, name) ?? throw Malformed(action, $"<{element?.Name.LocalName ?? action + "Result"}> has no <{name}>");

    public static CloudFormationException Malformed(string action, string detail) =>
        new(action, "MalformedResponse", $"Unreadable reply: {detail}", null, System.Net.HttpStatusCode.OK);

    public static IReadOnlyList<Tag> Tags(XElement? parent) =>
        Members(parent, "Tags").Select(m => new Tag { Key = Text(m, "Key") ?? "", Value = Text(m, "Value") ?? "" }).ToList();

    public static StackEvent StackEvent(XElement m, string action) => new()
    {
        EventId = Required(m, "EventId", action),
        StackId = Required(m, "StackId", action),
        StackName = Required(m, "StackName", action),
        LogicalResourceId = Text(m, "LogicalResourceId"),
        PhysicalResourceId = Text(m, "PhysicalResourceId"),
        ResourceType = Text(m, "ResourceType"),
        Timestamp = Time(m, "Timestamp") ?? throw Malformed(action, "a stack event has no <Timestamp>"),
        ResourceStatus = Text(m, "ResourceStatus"),
        ResourceStatusReason = Text(m, "ResourceStatusReason"),
        ClientRequestToken = Text(m, "ClientRequestToken"),
    };

    public static Stack Stack(XElement m, string action) => new()
    {
        StackId = Required(m, "StackId", action),
        StackName = Required(m, "StackName", action),
        Description = Text(m, "Description"),
        StackStatus = Required(m, "StackStatus", action),
        StackStatusReason = Text(m, "StackStatusReason"),
        CreationTime = Time(m, "CreationTime") ?? default,
        LastUpdatedTime = Time(m, "LastUpdatedTime"),
        DeletionTime = Time(m, "DeletionTime"),
        DisableRollback = Bool(m, "DisableRollback"),
        RoleARN = Text(m, "RoleARN"),
        Capabilities = Strings(m, "Capabilities"),
        Outputs = Members(m, "Outputs").Select(o => new Output
        {
            OutputKey = Required(o, "OutputKey", action),
            OutputValue = Text(o, "OutputValue"),
            Description = Text(o, "Description"),
            ExportName = Text(o, "ExportName"),
        }).ToList(),
        Tags = Tags(m),
    };

    public static Change Change(XElement m, string action) => new()
    {
        Type = Text(m, "Type"),
        ResourceChange = Child(m, "ResourceChange") is { } rc
            ? new ResourceChange
            {
                Action = Required(rc, "Action", action),
                LogicalResourceId = Required(rc, "LogicalResourceId", action),
                PhysicalResourceId = Text(rc, "PhysicalResourceId"),
                ResourceType = Required(rc, "ResourceType", action),
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

    public static StackResourceDrift StackResourceDrift(XElement m, string action) => new()
    {
        StackId = Required(m, "StackId", action),
        LogicalResourceId = Required(m, "LogicalResourceId", action),
        PhysicalResourceId = Text(m, "PhysicalResourceId"),
        ResourceType = Required(m, "ResourceType", action),
        ExpectedProperties = Text(m, "ExpectedProperties"),
        ActualProperties = Text(m, "ActualProperties"),
        PropertyDifferences = Members(m, "PropertyDifferences").Select(d => new PropertyDifference
        {
            PropertyPath = Required(d, "PropertyPath", action),
            ExpectedValue = Text(d, "ExpectedValue") ?? "",
            ActualValue = Text(d, "ActualValue") ?? "",
            DifferenceType = Required(d, "DifferenceType", action),
        }).ToList(),
        StackResourceDriftStatus = Required(m, "StackResourceDriftStatus", action),
        Timestamp = Time(m, "Timestamp") ?? default,
    };
}
