using System.Diagnostics;
using System.Text.Json;

namespace Serverless2FA.WorkerHost;

/// <summary>
/// Starts the worker as the Functions host does: the executable and worker path from the app's
/// <c>worker.config.json</c>, the host's connection arguments after them (both the old names and the
/// <c>--functions-*</c> ones the .NET worker reads), the app directory as working directory, and the host's
/// environment (app settings included) plus <c>FUNCTIONS_WORKER_DIRECTORY</c> and <c>FUNCTIONS_APPLICATION_DIRECTORY</c>.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    // The host's RpcWorkerConstants.DefaultMaxMessageLengthBytes.
    private const int MaxMessageLength = int.MaxValue;

    private readonly Process _process;

    private WorkerProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process has ended, with its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public static WorkerProcess Start(WorkerHostOptions options, Uri grpcUri, string workerId, IReadOnlyDictionary<string, string?> environment, Action<string> output)
    {
        var config = ReadWorkerConfig(options.AppDirectory);
        var info = new ProcessStartInfo(config.Executable)
        {
            WorkingDirectory = options.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in config.ExecutableArguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(config.WorkerPath);
        foreach (var argument in config.WorkerArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var requestId = Guid.NewGuid().ToString();
        var length = MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] connection =
        [
            "--host", grpcUri.Host, "--port", grpcUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", length,
            "--functions-uri", grpcUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", length,
        ];
        foreach (var argument in connection)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output(e.Data);
            }
        };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, startedAt);
    }

    /// <summary>Waits for the process to end by itself (after <c>WorkerTerminate</c>), then kills it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            using var timeout = new CancellationTokenSource(grace);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static WorkerConfig ReadWorkerConfig(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No worker.config.json in {appDirectory}: is this the worker's build output?", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var description = document.RootElement.GetProperty("description");
        string? Text(string name) => description.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        IReadOnlyList<string> List(string name) => description.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
            : [];

        var executable = Text("defaultExecutablePath") ?? throw new InvalidOperationException("worker.config.json names no defaultExecutablePath.");
        var workerPath = Text("defaultWorkerPath") ?? throw new InvalidOperationException("worker.config.json names no defaultWorkerPath.");
        return new WorkerConfig(executable, Path.GetFullPath(Path.Combine(appDirectory, workerPath)), List("arguments"), List("workerArguments"));
    }

    private sealed record WorkerConfig(string Executable, string WorkerPath, IReadOnlyList<string> ExecutableArguments, IReadOnlyList<string> WorkerArguments);
}
