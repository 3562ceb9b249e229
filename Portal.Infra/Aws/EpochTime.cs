using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Infra.Aws;

/// <summary>A JSON protocol timestamp as ECS sends it: seconds since 1970 as a number, with a fraction (<c>1557134035.379</c>).</summary>
internal sealed class EpochSeconds : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EpochTime.FromMilliseconds(reader.GetDouble() * 1000);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(EpochTime.ToMilliseconds(value) / 1000m);
}

/// <summary>A timestamp as CloudWatch Logs sends it: milliseconds since 1970 as a whole number (<c>1433190184356</c>).</summary>
internal sealed class EpochMilliseconds : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EpochTime.FromMilliseconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(EpochTime.ToMilliseconds(value));
}

internal static class EpochTime
{
    private static readonly double MaxMilliseconds = (DateTime.MaxValue - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>UTC; a time no <see cref="DateTime"/> holds is a malformed reply, not an overflow.</summary>
    public static DateTime FromMilliseconds(double milliseconds) =>
        double.IsFinite(milliseconds) && milliseconds >= 0 && milliseconds < MaxMilliseconds
            ? DateTime.UnixEpoch.AddMilliseconds(Math.Round(milliseconds))
            : throw new JsonException($"{milliseconds} ms after 1970 is not a time");

    public static long ToMilliseconds(DateTime value) =>
        (long)(value.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
}
