using Portal.Infra.Environments;

namespace Portal.Tests.Stacks;

/// <summary>Two specs that differ in every way the stack must follow: ports, sizes, tag vs digest, secrets.</summary>
public static class SampleSpecs
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string ApiKeyArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf";
    public const string DbArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/db-XyZ123";
    public const string TokenArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/token-Qw12Er";

    /// <summary>DESIGN.md's example: tags, a secret with a JSON key, the backend by digest.</summary>
    public static EnvironmentSpec OrdersDev(string name = "orders-dev", int frontendPort = 3000, int listenerPort = 80) => new()
    {
        Name = name,
        Target = "sandbox",
        Frontend = new FrontendSpec
        {
            Image = new ImageRef { Repository = "frontend", Tag = "1.4.2" },
            ContainerPort = frontendPort, Cpu = 256, MemoryMiB = 512, DesiredCount = 2,
            HealthCheckPath = "/health",
            Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
            Secrets = [new SecretRef { Name = "API_KEY", SecretArn = ApiKeyArn, JsonKey = "apiKey" }],
        },
        Backend = new BackendSpec
        {
            Image = new ImageRef { Repository = "backend", Digest = Digest },
            ContainerPort = 8080, ListenerPort = listenerPort, Cpu = 512, MemoryMiB = 1024, DesiredCount = 2,
            HealthCheckPath = "/health",
        },
    };

    /// <summary>Different ports and sizes, a full repository URI, backend secrets with and without a key.</summary>
    public static EnvironmentSpec PaymentsTest() => new()
    {
        Name = "payments-test",
        Target = "sandbox",
        Frontend = new FrontendSpec
        {
            Image = new ImageRef { Repository = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/web/payments-ui", Digest = Digest },
            ContainerPort = 8081, Cpu = 1024, MemoryMiB = 3072, DesiredCount = 1,
            HealthCheckPath = "/ready",
        },
        Backend = new BackendSpec
        {
            Image = new ImageRef { Repository = "payments-api", Tag = "2025.11.3" },
            ContainerPort = 9000, ListenerPort = 8443, Cpu = 2048, MemoryMiB = 8192, DesiredCount = 4,
            HealthCheckPath = "/internal/health",
            Environment = new Dictionary<string, string> { ["MODE"] = "test", ["WORKERS"] = "8" },
            Secrets =
            [
                new SecretRef { Name = "DB_PASSWORD", SecretArn = DbArn, JsonKey = "password" },
                new SecretRef { Name = "TOKEN", SecretArn = TokenArn },
            ],
        },
    };
}
