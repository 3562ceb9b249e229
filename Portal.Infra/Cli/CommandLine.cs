namespace Portal.Infra.Cli;

/// <summary>The <c>--name value</c> options of one command; unknown or missing options are usage errors.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private CommandLine(string command) => Command = command;

    public string Command { get; }

    public static CommandLine Parse(string[] args, params string[] allowed)
    {
        var line = new CommandLine(args.Length > 0 ? args[0] : "");
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--") || !allowed.Contains(name[2..]))
                throw new UsageException($"unknown option {name}; {line.Command} accepts {string.Join(", ", allowed.Select(a => "--" + a))}");
            if (i + 1 >= args.Length)
                throw new UsageException($"{name} needs a value");
            line._options[name[2..]] = args[++i];
        }
        return line;
    }

    public string Required(string name) =>
        _options.TryGetValue(name, out var value) ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out var v) ? int.TryParse(v, out var n) && n > 0 ? n
            : throw new UsageException($"--{name} must be a positive whole number") : fallback;
}
