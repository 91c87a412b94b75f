namespace Serverless2FA.Local.Azurite;

/// <summary>How <see cref="AzuriteLauncher"/> starts Azurite's table and queue services.</summary>
public sealed class AzuriteLaunchOptions
{
    /// <summary>Azurite's default table port.</summary>
    public const int DefaultPort = 10002;

    /// <summary>Azurite's default queue port.</summary>
    public const int DefaultQueuePort = 10001;

    /// <summary>The table service's port; 0 picks a free one. When a fixed port is taken by something else, a free one is used instead.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The queue service's port, like <see cref="Port"/>; unset, 10001 beside the default table port, else a free one.</summary>
    public int? QueuePort { get; init; }

    internal int QueuePortOrDefault => QueuePort ?? (Port == DefaultPort ? DefaultQueuePort : 0);

    /// <summary>Keep data in memory only (tests) instead of under <see cref="Location"/>.</summary>
    public bool InMemory { get; init; }

    /// <summary>
    /// Whether Azurite prints a line per request (handed to the debug log). Off for benchmarks: writing and reading
    /// those lines costs Azurite's single thread and this process CPU on every round trip.
    /// </summary>
    public bool AccessLog { get; init; } = true;

    /// <summary>The repository root, holding package.json; found from the base directory when unset.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Where Azurite keeps its data; <c>&lt;repo&gt;/.local/azurite</c> when unset.</summary>
    public string? Location { get; init; }

    /// <summary>How long to wait for Azurite to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the first-use <c>npm ci</c> may take.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
