using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Data;

/// <summary>
/// How a <see cref="Person"/> is stored: the name shown keeps the column named after the property (where names were
/// stored before people had keys), and the key, <c>issuer#subject</c>, goes beside it in <c>&lt;property&gt;Id</c>.
/// </summary>
internal static class PersonMapping
{
    private static readonly ValueConverter<PersonId, string> Key = new(id => id.ToString(), key => PersonId.Parse(key));

    public static ComplexPropertyBuilder<Person> HasPerson<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, Person?>> property)
        where T : class
    {
        var column = ((MemberExpression)property.Body).Member.Name;
        var person = builder.ComplexProperty(property);
        person.Property(p => p.Id).HasConversion(Key).HasColumnName(column + "Id");
        person.Property(p => p.Name).HasColumnName(column);
        return person;
    }

    /// <summary>A list of people as one JSON column: <c>[{"id":"issuer#subject","name":"…"}]</c>.</summary>
    public static PropertyBuilder<IReadOnlyList<Person>> HasPeople<T>(
        this EntityTypeBuilder<T> builder, Expression<Func<T, IReadOnlyList<Person>>> property, string column) where T : class =>
        builder.Property(property)
            .HasColumnName(column)
            .HasConversion(
                people => JsonSerializer.Serialize(people, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<Person>>(json, JsonSerializerOptions.Web)!,
                new ValueComparer<IReadOnlyList<Person>>(
                    (a, b) => a!.SequenceEqual(b!),
                    people => people.Aggregate(0, (hash, person) => HashCode.Combine(hash, person)),
                    people => people.ToList()));
}
