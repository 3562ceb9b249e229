using System.Globalization;
using Portal.Infra.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Requests;

/// <summary>How an image is pinned: by a tag (e.g. 1.4.2) or by an immutable digest.</summary>
public enum ImagePin
{
    Tag,
    Digest,
}

/// <summary>One environment variable being edited. Rows, not a dictionary: the user may type a name twice.</summary>
public sealed class VariableRow
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>One secret reference being edited; empty optional fields mean "not given".</summary>
public sealed class SecretRow
{
    public string Name { get; set; } = "";
    public string SecretArn { get; set; } = "";
    public string JsonKey { get; set; } = "";
    public string VersionStage { get; set; } = "";
    public string VersionId { get; set; } = "";
}

/// <summary>
/// One tier of the form. Every field carries the spec's field path (<see cref="Path"/> + name), so the validator's
/// errors land on the field that caused them.
/// </summary>
public sealed class ServiceForm(string path)
{
    /// <summary><c>frontend</c> or <c>backend</c>: the prefix of every field path of this tier.</summary>
    public string Path { get; } = path;

    public bool IsBackend => Path == "backend";

    public string Repository { get; set; } = "";
    public ImagePin Pin { get; set; } = ImagePin.Tag;
    public string Tag { get; set; } = "";
    public string Digest { get; set; } = "";
    public int ContainerPort { get; set; }
    public int ListenerPort { get; set; }
    public int Cpu { get; set; }
    public int MemoryMiB { get; set; }
    public int DesiredCount { get; set; }
    public string HealthCheckPath { get; set; } = "";

    /// <summary>
    /// What the user typed into a number field (by field name) that is no whole number an int holds: kept as typed,
    /// so the field shows it and its error names it, and never read as 0.
    /// </summary>
    private readonly Dictionary<string, string> _unreadableNumbers = new(StringComparer.Ordinal);

    public List<VariableRow> Environment { get; } = [];
    public List<SecretRow> Secrets { get; } = [];

    public static ServiceForm From(string path, ServiceSpec spec)
    {
        var form = new ServiceForm(path)
        {
            Repository = spec.Image.Repository,
            Pin = spec.Image.Digest is not null ? ImagePin.Digest : ImagePin.Tag,
            Tag = spec.Image.Tag ?? "",
            Digest = spec.Image.Digest ?? "",
            ContainerPort = spec.ContainerPort,
            ListenerPort = spec is BackendSpec backend ? backend.ListenerPort : 0,
            Cpu = spec.Cpu,
            MemoryMiB = spec.MemoryMiB,
            DesiredCount = spec.DesiredCount,
            HealthCheckPath = spec.HealthCheckPath,
        };
        form.Environment.AddRange(spec.Environment.Select(e => new VariableRow { Name = e.Key, Value = e.Value }));
        form.Secrets.AddRange(spec.Secrets.Select(s => new SecretRow
        {
            Name = s.Name,
            SecretArn = s.SecretArn,
            JsonKey = s.JsonKey ?? "",
            VersionStage = s.VersionStage ?? "",
            VersionId = s.VersionId ?? "",
        }));
        return form;
    }

    /// <summary>The spec's service: only the pinned one of tag or digest, empty optional secret fields left out.</summary>
    public T Fill<T>(T service) where T : ServiceSpec => service with
    {
        Image = new ImageRef
        {
            Repository = Repository.Trim(),
            Tag = Pin == ImagePin.Tag ? Tag.Trim() : null,
            Digest = Pin == ImagePin.Digest ? Digest.Trim() : null,
        },
        ContainerPort = ContainerPort,
        Cpu = Cpu,
        MemoryMiB = MemoryMiB,
        DesiredCount = DesiredCount,
        HealthCheckPath = HealthCheckPath.Trim(),
        // The first of a duplicated name wins here; DuplicateVariables reports the others.
        Environment = Environment.DistinctBy(v => v.Name).ToDictionary(v => v.Name, v => v.Value),
        Secrets = [.. Secrets.Select(s => new SecretRef
        {
            Name = s.Name.Trim(),
            SecretArn = s.SecretArn.Trim(),
            JsonKey = OrNull(s.JsonKey),
            VersionStage = OrNull(s.VersionStage),
            VersionId = OrNull(s.VersionId),
        })],
    };

    /// <summary>The path the validator uses for a variable (<c>frontend.environment.LOG_LEVEL</c>, or <c>…["a b"]</c> for odd names).</summary>
    public string VariablePath(VariableRow row) => EnvironmentSpecValidator.VariablePath($"{Path}.environment", row.Name);

    public string SecretPath(int index) => $"{Path}.secrets[{index}]";

    /// <summary>The text a number field shows: what the user typed if it is no number, else <paramref name="value"/>.</summary>
    public string NumberText(string field, int value) =>
        _unreadableNumbers.TryGetValue(field, out var typed) ? typed : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sets a number field from its text: a whole number goes to <paramref name="set"/>; anything else is kept as typed.</summary>
    public void SetNumber(string field, string? text, Action<int> set)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            _unreadableNumbers.Remove(field);
            set(number);
        }
        else
        {
            _unreadableNumbers[field] = text ?? "";
        }
    }

    /// <summary>Each number field holding no whole number, with what is wrong with the text typed, by field path.</summary>
    public IEnumerable<FieldError> UnreadableNumbers() => _unreadableNumbers.Select(u => new FieldError($"{Path}.{u.Key}",
        (u.Key == "desiredCount" ? $"\"{u.Value}\" is not a number of tasks: give a whole number from 0 to {SpecLimits.MaxDesiredCount}."
            : $"\"{u.Value}\" is not a valid port: give a whole number from {SpecLimits.MinPort} to {SpecLimits.MaxPort}.")));

    /// <summary>
    /// A name typed twice cannot be sent (a JSON object has one value per name), so the form says so itself; the API
    /// answers the same mistake with its duplicate-field error.
    /// </summary>
    public IEnumerable<FieldError> DuplicateVariables() => Environment
        .GroupBy(v => v.Name)
        .Where(g => g.Count() > 1)
        .Select(g => new FieldError(VariablePath(g.First()), $"\"{g.Key}\" is defined {g.Count()} times; give each variable once."));

    /// <summary>Every path a field of this tier shows errors for; errors elsewhere are listed at the top of the tier.</summary>
    public IEnumerable<string> FieldPaths()
    {
        foreach (var field in new[]
                 {
                     "image", "image.repository", "image.tag", "image.digest", "containerPort", "cpu", "memoryMiB",
                     "desiredCount", "healthCheckPath", "environment", "secrets",
                 })
        {
            yield return $"{Path}.{field}";
        }

        if (IsBackend)
        {
            yield return $"{Path}.listenerPort";
        }

        foreach (var row in Environment)
        {
            yield return VariablePath(row);
        }

        for (var i = 0; i < Secrets.Count; i++)
        {
            foreach (var field in new[] { "", ".name", ".secretArn", ".jsonKey", ".versionStage", ".versionId" })
            {
                yield return SecretPath(i) + field;
            }
        }
    }

    private static string? OrNull(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The request form's model: a mutable <see cref="EnvironmentSpec"/> that the validator checks on every change.</summary>
public sealed class SpecForm
{
    public string Name { get; set; } = "";
    public string Target { get; set; } = "";
    public ServiceForm Frontend { get; private init; } = new("frontend");
    public ServiceForm Backend { get; private init; } = new("backend");

    /// <summary>A new request with the usual sizes filled in; the name and images are left to the user.</summary>
    public static SpecForm New(string target) => new()
    {
        Target = target,
        Frontend = new ServiceForm("frontend")
        {
            ContainerPort = 3000,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 1,
            HealthCheckPath = "/health",
        },
        Backend = new ServiceForm("backend")
        {
            ContainerPort = 8080,
            ListenerPort = 80,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 1,
            HealthCheckPath = "/health",
        },
    };

    public static SpecForm From(EnvironmentSpec spec) => new()
    {
        Name = spec.Name,
        Target = spec.Target,
        Frontend = ServiceForm.From("frontend", spec.Frontend),
        Backend = ServiceForm.From("backend", spec.Backend),
    };

    public EnvironmentSpec ToSpec() => new()
    {
        Name = Name.Trim(),
        Target = Target,
        Frontend = Frontend.Fill(new FrontendSpec()),
        Backend = Backend.Fill(new BackendSpec { ListenerPort = Backend.ListenerPort }),
    };

    /// <summary>The server's own checks (<paramref name="validate"/>) plus the form's own: numbers typed, names typed twice.</summary>
    public IReadOnlyList<FieldError> Validate(Func<EnvironmentSpec, IReadOnlyList<FieldError>> validate)
    {
        // A number field holding no number says so; the server's verdict on its last readable value would mislead.
        var unreadable = Frontend.UnreadableNumbers().Concat(Backend.UnreadableNumbers()).ToList();
        return
        [
            .. validate(ToSpec()).Where(e => !unreadable.Exists(u => u.Field == e.Field)), .. unreadable,
            .. Frontend.DuplicateVariables(), .. Backend.DuplicateVariables(),
        ];
    }

    public IReadOnlySet<string> FieldPaths() =>
        new[] { "name", "target" }.Concat(Frontend.FieldPaths()).Concat(Backend.FieldPaths()).ToHashSet(StringComparer.Ordinal);
}
