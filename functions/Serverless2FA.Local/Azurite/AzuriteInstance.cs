using System.Diagnostics;

namespace Serverless2FA.Local.Azurite;

/// <summary>
/// A running Azurite table service and queue service (one process each, so either can fail alone); disposing stops
/// them (unless they were already running and only reused).
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable, IDisposable
{
    /// <summary>Azurite's well-known development account key (public, the one Azurite ships with; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string AccountName = "devstoreaccount1";

    private readonly Process? _table;
    private readonly Process? _queue;
    private int _disposed;

    internal AzuriteInstance(int port, Process? table, int queuePort, Process? queue)
    {
        Port = port;
        QueuePort = queuePort;
        _table = table;
        _queue = queue;
        if (table is not null || queue is not null)
        {
            // A host that dies without disposing must not leave Azurite holding the ports.
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    /// <summary>The table service's port.</summary>
    public int Port { get; }

    public int QueuePort { get; }

    /// <summary>False when an Azurite table service that was already listening on the port is reused.</summary>
    public bool OwnsProcess => _table is not null;

    /// <summary>The id of the table service's process this instance started (node itself: the launcher runs Azurite's script directly); null when reused.</summary>
    public int? ProcessId => _table?.Id;

    /// <summary>The id of the queue service's process this instance started; null when reused.</summary>
    public int? QueueProcessId => _queue?.Id;

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/{AccountName}");

    public string ConnectionString
        => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};QueueEndpoint={QueueEndpoint};";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || (_table is null && _queue is null))
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
        _table?.Dispose();
        _queue?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        AzuriteLauncher.Kill(_table, wait: true);
        AzuriteLauncher.Kill(_queue, wait: true);
    }
}
