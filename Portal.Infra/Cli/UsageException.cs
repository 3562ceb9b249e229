namespace Portal.Infra.Cli;

internal sealed class UsageException(string message) : Exception(message);
