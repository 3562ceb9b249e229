using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Jobs.Data;

/// <summary>
/// Stores instants as fixed-width UTC text (<c>2025-01-31T12:00:00.0000000Z</c>): readable, and text order is time
/// order, so SQLite can sort and compare them (it cannot with EF's default DateTimeOffset mapping).
/// </summary>
internal sealed class UtcTimestampConverter() : ValueConverter<DateTimeOffset, string>(
    value => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
    text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
