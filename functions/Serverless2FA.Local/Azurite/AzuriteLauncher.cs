using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless2FA.Local.Hosting;

namespace Serverless2FA.Local.Azurite;

/// <summary>
/// Starts the repository's pinned Azurite table service (npm package <c>azurite</c>), installing it
/// with <c>npm ci</c> on first use. Used by the local host when no storage is configured and by the
/// integration tests.
/// </summary>
public sealed partial class AzuriteLauncher(ILogger<AzuriteLauncher>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<AzuriteInstance> StartAsync(AzuriteLaunchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteLaunchOptions();
        var root = options.RepositoryRoot ?? RepositoryRoot.Locate();
        var executable = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");
        if (!File.Exists(executable))
        {
            await new NpmInstaller(_logger).EnsureInstalledAsync(root, executable, options.InstallTimeout, cancellationToken).ConfigureAwait(false);
        }

        var port = options.Port;
        if (port != 0 && !IsFree(port))
        {
            if (!options.InMemory && await AzuriteProbe.IsAzuriteTableAsync(port, cancellationToken).ConfigureAwait(false))
            {
                LogReusing(port);
                return new AzuriteInstance(port, process: null);
            }

            LogPortTaken(port);
            port = 0;
        }

        if (port == 0)
        {
            port = FreePort();
        }

        return await LaunchAsync(executable, root, port, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AzuriteInstance> LaunchAsync(string executable, string root, int port, AzuriteLaunchOptions options, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(root, port, options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var output = ProcessOutput.Attach(process, line => LogAzurite(line));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await WaitUntilListeningAsync(process, port, options.StartTimeout, output, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }

        LogStarted(port, options.InMemory ? "in memory" : LocationOf(root, options));
        return new AzuriteInstance(port, process);
    }

    private static List<string> Arguments(string root, int port, AzuriteLaunchOptions options)
    {
        List<string> arguments = ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
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

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    [LoggerMessage(LogLevel.Information, "Azurite table service listening on 127.0.0.1:{Port} ({Location})")]
    private partial void LogStarted(int port, string location);

    [LoggerMessage(LogLevel.Information, "Reusing the Azurite table service already listening on 127.0.0.1:{Port}")]
    private partial void LogReusing(int port);

    [LoggerMessage(LogLevel.Warning, "Port {Port} is taken by something other than Azurite; using a free port instead")]
    private partial void LogPortTaken(int port);

    [LoggerMessage(LogLevel.Debug, "azurite: {Line}")]
    private partial void LogAzurite(string line);
}
