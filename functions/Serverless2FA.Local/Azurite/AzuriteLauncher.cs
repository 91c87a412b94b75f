using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless2FA.Local.Hosting;

namespace Serverless2FA.Local.Azurite;

/// <summary>
/// Starts the repository's pinned Azurite (npm package <c>azurite</c>): its table service and its queue service, one
/// process each, installing it with <c>npm ci</c> on first use. Used by the local host when no storage is configured
/// and by the integration tests.
/// </summary>
public sealed partial class AzuriteLauncher(ILogger<AzuriteLauncher>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<AzuriteInstance> StartAsync(AzuriteLaunchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteLaunchOptions();
        var root = options.RepositoryRoot ?? RepositoryRoot.Locate();
        foreach (var service in new[] { AzuriteService.Table, AzuriteService.Queue })
        {
            var executable = ExecutableOf(root, service);
            if (!File.Exists(executable))
            {
                await new NpmInstaller(_logger).EnsureInstalledAsync(root, executable, options.InstallTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        var (tablePort, table) = await StartServiceAsync(AzuriteService.Table, root, options.Port, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var (queuePort, queue) = await StartServiceAsync(AzuriteService.Queue, root, options.QueuePortOrDefault, options, cancellationToken).ConfigureAwait(false);
            return new AzuriteInstance(tablePort, table, queuePort, queue);
        }
        catch
        {
            Kill(table, wait: true);
            table?.Dispose();
            throw;
        }
    }

    /// <returns>The port the service listens on, and its process (null when one already listening is reused).</returns>
    private async Task<(int Port, Process? Process)> StartServiceAsync(
        AzuriteService service, string root, int port, AzuriteLaunchOptions options, CancellationToken cancellationToken)
    {
        if (port != 0 && !IsFree(port))
        {
            if (!options.InMemory && await AzuriteProbe.IsAzuriteAsync(service, port, cancellationToken).ConfigureAwait(false))
            {
                LogReusing(service.Name, port);
                return (port, null);
            }

            LogPortTaken(port, service.Name);
            port = 0;
        }

        if (port == 0)
        {
            port = FreePort();
        }

        return (port, await LaunchAsync(service, ExecutableOf(root, service), root, port, options, cancellationToken).ConfigureAwait(false));
    }

    private static string ExecutableOf(string root, AzuriteService service) => Path.Combine(root, "node_modules", ".bin", service.Script);

    private async Task<Process> LaunchAsync(AzuriteService service, string executable, string root, int port, AzuriteLaunchOptions options, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(service, root, port, options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var output = ProcessOutput.Attach(process, line => LogAzurite(service.Name, line));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await WaitUntilListeningAsync(process, port, options.StartTimeout, output, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill(process, wait: false);
            process.Dispose();
            throw;
        }

        LogStarted(service.Name, port, options.InMemory ? "in memory" : LocationOf(root, options));
        return process;
    }

    private static List<string> Arguments(AzuriteService service, string root, int port, AzuriteLaunchOptions options)
    {
        List<string> arguments = [$"--{service.Name}Host", "127.0.0.1", $"--{service.Name}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (options.InMemory)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            var location = LocationOf(root, options);
            Directory.CreateDirectory(location);
            arguments.AddRange(["--location", location]);
        }

        arguments.AddRange(["--skipApiVersionCheck", "--disableTelemetry", "--loose"]);
        if (!options.AccessLog)
        {
            arguments.Add("--silent");
        }

        return arguments;
    }

    private static string LocationOf(string root, AzuriteLaunchOptions options)
        => options.Location ?? Path.Combine(root, ".local", "azurite");

    private static async Task WaitUntilListeningAsync(Process process, int port, TimeSpan timeout, ProcessOutput output, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before listening on port {port}. Its output:{Environment.NewLine}{output}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TimeoutException(
                    $"Azurite did not accept connections on port {port} within {timeout}. Its output:{Environment.NewLine}{output}", e);
            }
        }
    }

    internal static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Stops <paramref name="process"/> with its children, if it runs; with <paramref name="wait"/>, until it has exited (at most 5 s).</summary>
    internal static void Kill(Process? process, bool wait)
    {
        try
        {
            if (process is not null && !process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                if (wait)
                {
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    [LoggerMessage(LogLevel.Information, "Azurite {Service} service listening on 127.0.0.1:{Port} ({Location})")]
    private partial void LogStarted(string service, int port, string location);

    [LoggerMessage(LogLevel.Information, "Reusing the Azurite {Service} service already listening on 127.0.0.1:{Port}")]
    private partial void LogReusing(string service, int port);

    [LoggerMessage(LogLevel.Warning, "Port {Port} is taken by something other than Azurite's {Service} service; using a free port instead")]
    private partial void LogPortTaken(int port, string service);

    [LoggerMessage(LogLevel.Debug, "azurite {Service}: {Line}")]
    private partial void LogAzurite(string service, string line);
}
