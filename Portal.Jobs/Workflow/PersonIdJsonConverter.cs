using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Jobs.Workflow;

/// <summary>A <see cref="PersonId"/> in JSON is its canonical string, <c>issuer#subject</c>.</summary>
public sealed class PersonIdJsonConverter : JsonConverter<PersonId>
{
    public override PersonId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return PersonId.Parse(reader.GetString() ?? "");
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, PersonId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
