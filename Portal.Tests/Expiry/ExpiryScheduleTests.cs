using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Infra;
using Portal.Jobs;
using Portal.Jobs.Expiry;
using Portal.Jobs.Notifications;
using Portal.Tests.Jobs;

namespace Portal.Tests.Expiry;

/// <summary>A process that runs jobs registers the expiry job on Expiry:Schedule and the notification sweep at start-up.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ExpiryScheduleTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    /// <summary>The start-up service of a process that runs jobs, wired from configuration as the hosts wire it.</summary>
    private async Task StartUpAsync(string schedule)
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(_jobs.Configuration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = "true",
            ["Expiry:Schedule"] = schedule,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddPortalInfra(configuration).AddPortalWorkflow(configuration).AddPortalJobs(configuration);
        var registration = Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RecurringJobs));
        await using var provider = services.BuildServiceProvider();
        await ((IHostedService)ActivatorUtilities.CreateInstance(provider, registration.ImplementationType!)).StartAsync(default);
    }

    private RecurringJobDto? Recurring(string id)
    {
        using var connection = _jobs.Get<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == id);
    }

    [Fact]
    public async Task TheExpiryJobRunsOnTheConfiguredCronAndTheNotificationSweepEveryMinute()
    {
        await StartUpAsync("*/10 * * * *");

        var expiry = Recurring(ExpiryJob.RecurringJobId);
        Assert.Equal("*/10 * * * *", expiry?.Cron);
        Assert.Equal(typeof(ExpiryJob), expiry?.Job.Type);
        var sweep = Recurring(NotificationDispatcher.RecurringJobId);
        Assert.Equal(Cron.Minutely(), sweep?.Cron);
        Assert.Equal(typeof(NotificationDispatcher), sweep?.Job.Type);
    }

    [Theory]
    [InlineData("every day")]
    [InlineData(" ")]
    public async Task AScheduleThatIsNotCronIsRefusedAtStartUpNamingTheSetting(string schedule)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => StartUpAsync(schedule));

        Assert.StartsWith("Expiry:Schedule must be a cron expression", refused.Message);
        Assert.Contains($"(was '{schedule}')", refused.Message);
        Assert.Null(Recurring(ExpiryJob.RecurringJobId));
    }
}
