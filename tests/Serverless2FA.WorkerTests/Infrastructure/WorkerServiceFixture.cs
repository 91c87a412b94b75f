using System.Reflection;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;
using Serverless2FA.WorkerHost;
using Serverless2FA.WorkerHost.Clock;

namespace Serverless2FA.WorkerTests.Infrastructure;

/// <summary>
/// The service as Azure runs it: the built <c>Serverless2FA.Functions</c> worker process under the protocol-level
/// Functions host, with its own in-memory Azurite, the Twilio stand-in and a fresh secret file, started once per
/// test collection with the settings <see cref="ServiceFixture"/> gives the local host. Its clock follows
/// <see cref="Clock"/> through a startup hook, so the suites that move time run here too.
/// </summary>
public sealed class WorkerServiceFixture : IServiceFixture, IAsyncLifetime
{
    public const string FunctionKey = "worker-tests-function-key";
    public const string MasterKey = "worker-tests-master-key";

    /// <summary>Set to a folder to keep each worker's log lines there after the run.</summary>
    public const string LogDirectoryVariable = "SERVERLESS2FA_WORKER_LOGS";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "s2fa-worker", Guid.NewGuid().ToString("N"));
    private AzuriteInstance? _azurite;
    private ShiftedClock? _workerClock;

    public TwilioStandIn Twilio { get; } = new();

    /// <summary>The relying app's endpoint for events (<c>Events:WebhookUrl</c>).</summary>
    public WebhookReceiver Receiver { get; } = new();

    /// <summary>The local secret file the worker generates (its <c>events-signing-secret</c> signs the events).</summary>
    public string SecretFile => Path.Combine(_folder, "secrets.json");

    public ShiftableTimeProvider Clock { get; } = new();

    public FunctionsHost Host { get; private set; } = null!;

    public ICapturedLogs Logs => new HostLogs(Host);

    public string StorageConnectionString => _azurite!.ConnectionString;

    public string TablePrefix { get; } = "w" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Set to a published worker (for example a ReadyToRun publish) to run the suites against it instead of the build output.</summary>
    public const string AppDirectoryVariable = "SERVERLESS2FA_WORKER_APP";

    /// <summary>The worker's build output, next to which this project is built (see the project file), unless <see cref="AppDirectoryVariable"/> names another.</summary>
    public static string WorkerAppDirectory => Environment.GetEnvironmentVariable(AppDirectoryVariable) is { Length: > 0 } published
        ? published
        : typeof(WorkerServiceFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAppDirectory").Value!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await Twilio.StartAsync();
        await Receiver.StartAsync();
        _azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true });
        var clockFile = Path.Combine(_folder, "clock");
        _workerClock = new ShiftedClock(clockFile);
        Clock.Shifted += _workerClock.SetOffset;
        Host = await FunctionsHost.StartAsync(new WorkerHostOptions
        {
            AppDirectory = WorkerAppDirectory,
            FunctionKey = FunctionKey,
            MasterKey = MasterKey,
            Settings = new Dictionary<string, string?>
            {
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
                ["AzureWebJobsStorage"] = StorageConnectionString,
                ["Storage:ConnectionString"] = StorageConnectionString,
                ["Storage:TablePrefix"] = TablePrefix,
                ["Twilio:AccountSid"] = Twilio.AccountSid,
                ["Twilio:AuthToken"] = Twilio.AuthToken,
                ["Twilio:FromNumber"] = ServiceFixture.FromNumber,
                ["Twilio:ApiBaseUrl"] = Twilio.BaseUrl.ToString(),
                ["KeyVault:LocalFile"] = SecretFile,
                ["Events:WebhookUrl"] = Receiver.Url.ToString(),
                ["ExpirySchedule"] = "0 * * * * *",
            },
            WorkerEnvironment = ShiftedClock.WorkerEnvironment(clockFile),
        });
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            // For a failure the assertions do not explain: what the worker and the host logged, one file per worker.
            if (Environment.GetEnvironmentVariable(LogDirectoryVariable) is { Length: > 0 } logs)
            {
                Directory.CreateDirectory(logs);
                await File.WriteAllLinesAsync(Path.Combine(logs, $"worker-{TablePrefix}.log"), Host.Logs);
            }

            await Host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        await Twilio.DisposeAsync();
        await Receiver.DisposeAsync();
        _workerClock?.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A relying app's client: its function key in <c>x-functions-key</c>, no redirects, no cookie jar.</summary>
    public HttpClient NewClient()
    {
        var client = NewAnonymousClient();
        client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return client;
    }

    /// <summary>A client without a key, as a person's browser or Twilio calls.</summary>
    public HttpClient NewAnonymousClient()
        => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Host.BaseUrl };

    private sealed class HostLogs(FunctionsHost host) : ICapturedLogs
    {
        public IReadOnlyList<string> Lines => host.Logs;
    }
}

/// <summary>Two collections, two workers: the suites split between them run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerServiceFixture>
{
    public const string Name = "Worker";
}

[CollectionDefinition(Name)]
public sealed class SecondWorkerCollection : ICollectionFixture<WorkerServiceFixture>
{
    public const string Name = "Worker (second)";
}
