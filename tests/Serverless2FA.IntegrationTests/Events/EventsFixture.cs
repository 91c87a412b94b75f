extern alias local;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Secrets;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Faults;

namespace Serverless2FA.IntegrationTests.Events;

/// <summary>
/// The service with <c>Events:WebhookUrl</c> pointed at a real receiver (<see cref="WebhookReceiver"/>), its queue
/// listener on, on an Azurite whose queue service can be paused. Waits are kept short with settings: the local host
/// polls at most every 0.5 s and a failed run is visible again after 1 s; the retry schedule is 1 s after every
/// try (API.md's schedule is <see cref="RetrySchedule.Standard"/>, unit-tested on its own).
/// </summary>
public sealed class EventsFixture : FaultFixture
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static new readonly TimeSpan StorageBudget = TimeSpan.FromSeconds(10);

    /// <summary>Long enough for a few retries on a busy machine; never a wall-clock assertion, only a bound on a wait.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public WebhookReceiver Receiver { get; } = new();

    public override async Task InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public EventPublisher Publisher => Factory.Services.GetRequiredService<EventPublisher>();

    public EventQueues Queues => Factory.Services.GetRequiredService<EventQueues>();

    /// <summary>
    /// A second instance of the service on the same tables whose queue endpoint is a port nobody listens on: its
    /// changes commit, and every enqueue after them really fails (connection refused), as when an instance dies
    /// between the two. It runs no queue listener and no timers. The caller disposes it.
    /// </summary>
    public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<local::Program> NewHostWithUnreachableQueue()
    {
        var settings = Settings();
        var deadQueue = $"http://127.0.0.1:{Infrastructure.KestrelLocalHost.FreePort()}/{Serverless2FA.Local.Azurite.AzuriteInstance.AccountName}";
        settings["Storage:ConnectionString"] = Storage.ConnectionString.Replace(Storage.Instance.QueueEndpoint.ToString(), deadQueue, StringComparison.Ordinal);
        settings["LocalHost:Queues"] = "false";
        settings["Storage:RequestBudget"] = FaultFixture.StorageBudget.ToString();
        return CreateFactory(settings);
    }

    public async Task<string> SigningSecretAsync()
        => await Factory.Services.GetRequiredService<ISecretStore>().GetAsync(SecretNames.EventsSigningSecret, default)
            ?? throw new InvalidOperationException("No events-signing-secret in the local secret file.");

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Events:WebhookUrl"] = Receiver.Url.ToString();
        settings["LocalHost:Queues"] = "true";
        settings["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.5";
        settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01";
        // The usual budget, not the fault tests' 3 s: 50 parallel enqueues on a busy machine must not time out
        // client-side and be sent again (a retried send is a second message).
        settings["Storage:RequestBudget"] = StorageBudget.ToString();
        // A receive that stalled with the queue service may still take a message; it comes back after this, not 10 min.
        settings["LocalHost:QueueMessageVisibility"] = "00:00:15";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<RetrySchedule>();
            services.AddSingleton(new RetrySchedule(RetryDelay));
        });
    }
}

[CollectionDefinition(Name)]
public sealed class EventsCollection : ICollectionFixture<EventsFixture>
{
    public const string Name = "Events";
}
