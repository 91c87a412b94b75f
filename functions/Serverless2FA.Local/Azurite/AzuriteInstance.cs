using System.Diagnostics;

namespace Serverless2FA.Local.Azurite;

/// <summary>A running Azurite table service; disposing stops it (unless it was already running and only reused).</summary>
public sealed class AzuriteInstance : IAsyncDisposable, IDisposable
{
    /// <summary>Azurite's well-known development account key (public, the one Azurite ships with; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string AccountName = "devstoreaccount1";

    private readonly Process? _process;
    private int _disposed;

    internal AzuriteInstance(int port, Process? process)
    {
        Port = port;
        _process = process;
        if (process is not null)
        {
            // A host that dies without disposing must not leave Azurite holding the port.
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    public int Port { get; }

    /// <summary>False when an Azurite that was already listening on the port is reused.</summary>
    public bool OwnsProcess => _process is not null;

    /// <summary>The id of the Azurite process this instance started (node itself: the launcher runs Azurite's script directly); null when reused.</summary>
    public int? ProcessId => _process?.Id;

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString
        => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _process is null)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        try
        {
            if (!_process!.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
