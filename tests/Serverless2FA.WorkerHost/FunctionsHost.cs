using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless2FA.WorkerHost.Rpc;
using Yarp.ReverseProxy.Forwarder;

namespace Serverless2FA.WorkerHost;

/// <summary>
/// A minimal Azure Functions host for tests: it starts the built isolated worker process as the host does, speaks
/// the worker's gRPC protocol (<c>StartStream</c>, <c>WorkerInitRequest</c>, worker indexing with
/// <c>FunctionsMetadataRequest</c>, <c>FunctionLoadRequest</c>, <c>InvocationRequest</c>), serves HTTP functions
/// through the worker's ASP.NET Core integration on <see cref="BaseUrl"/>, and invokes timer and queue functions.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    // The host version this one stands in for in WorkerInitRequest (Functions runtime 4.x).
    private const string HostVersion = "4.1037.0.0";

    private readonly WorkerHostOptions _options;
    private readonly ConcurrentQueue<string> _logs = new();
    private WebApplication? _web;
    private HttpFrontDoor? _frontDoor;
    private WorkerProcess? _worker;

    private FunctionsHost(WorkerHostOptions options)
    {
        _options = options;
        Channel = new WorkerChannel(LogFromWorker);
    }

    /// <summary>Where clients call the functions (route prefix from host.json).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The functions the worker indexed and loaded, in the order it reported them.</summary>
    public IReadOnlyList<LoadedFunction> Functions { get; private set; } = [];

    /// <summary>The capabilities the worker answered <c>WorkerInitRequest</c> with.</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every log line the worker sent over the stream (<c>RpcLog</c>) or wrote to its console, and the host's own.</summary>
    public IReadOnlyList<string> Logs => [.. _logs];

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> just before the worker process started.</summary>
    public long WorkerStartedAt => _worker!.StartedAt;

    internal WorkerChannel Channel { get; }

    internal Uri WorkerHttpUri { get; private set; } = null!;

    internal IReadOnlyList<LoadedFunction> HttpFunctionsByPrecedence { get; private set; } = [];

    /// <summary>Starts the host and the worker, and returns once every function is loaded.</summary>
    public static async Task<FunctionsHost> StartAsync(WorkerHostOptions options, CancellationToken cancellationToken = default)
    {
        var host = new FunctionsHost(options);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch (Exception e)
        {
            var logs = string.Join(Environment.NewLine, host.Logs.TakeLast(60));
            await host.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The worker did not start: {e.Message}{Environment.NewLine}{logs}", e);
        }
    }

    /// <summary>Invokes a non-HTTP function now with the payload its trigger sends (timer); returns the worker's answer.</summary>
    public Task<InvocationResult> InvokeAsync(string functionName, CancellationToken cancellationToken)
        => InvokeAsync(functionName, message: null, cancellationToken);

    /// <summary>
    /// Invokes a non-HTTP function now with the payload its trigger sends: a timer firing, or <paramref name="message"/>
    /// for a queue trigger; returns the worker's answer.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string functionName, QueueMessageData? message, CancellationToken cancellationToken)
    {
        var function = Functions.FirstOrDefault(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No function '{functionName}'.", nameof(functionName));
        var invocationId = Guid.NewGuid().ToString();
        var request = function.Trigger.Type.ToUpperInvariant() switch
        {
            "TIMERTRIGGER" => TriggerPayloads.Timer(function, invocationId, ResolveSetting(function.Trigger.Property("schedule")!), DateTimeOffset.Now),
            "QUEUETRIGGER" => TriggerPayloads.Queue(function, invocationId, message ?? throw new ArgumentNullException(nameof(message), $"{function.Name} is a queue function: give it a message.")),
            _ => throw new NotSupportedException($"The test host cannot fire a {function.Trigger.Type}."),
        };

        var answer = await Channel.RequestAsync("invocation:" + invocationId, new StreamingMessage { InvocationRequest = request }, _options.HttpTimeout, cancellationToken)
            .ConfigureAwait(false);
        var result = answer.InvocationResponse.Result;
        return new InvocationResult(invocationId, result.Status == StatusResult.Types.Status.Success, result.Exception?.Message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            if (!_worker.HasExited)
            {
                // The host's graceful stop: the worker stops its application and exits.
                TrySend(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
                await _worker.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            await _worker.DisposeAsync().ConfigureAwait(false);
        }

        if (_web is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _web.StopAsync(stopping.Token).ConfigureAwait(false);
            await _web.DisposeAsync().ConfigureAwait(false);
        }

        _frontDoor?.Dispose();
    }

    internal void Log(string line) => _logs.Enqueue("[host] " + line);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        var token = timeout.Token;

        var (grpcPort, httpPort) = (FreePort(), FreePort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The worker's gRPC client talks HTTP/2 without TLS, which needs an HTTP/2-only endpoint.
            kestrel.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1AndHttp2);
        });
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(Channel);
        builder.Services.AddHttpForwarder();
        _web = builder.Build();
        _frontDoor = new HttpFrontDoor(this, _web.Services.GetRequiredService<IHttpForwarder>(), _options);
        _web.UseWhen(c => c.Connection.LocalPort == httpPort, front => front.Run(_frontDoor.HandleAsync));
        _web.MapGrpcService<FunctionRpcService>();
        await _web.StartAsync(token).ConfigureAwait(false);
        BaseUrl = new Uri($"http://127.0.0.1:{httpPort}/");

        var workerId = Guid.NewGuid().ToString();
        _worker = WorkerProcess.Start(_options, new Uri($"http://127.0.0.1:{grpcPort}/"), workerId, WorkerEnvironment(), line => _logs.Enqueue("[worker] " + line));
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(token);
        var exited = ExitDuringStartAsync(_worker, starting.Token);
        try
        {
            var started = await First(Channel.Started, exited, token).ConfigureAwait(false);
            if (started.WorkerId != workerId)
            {
                throw new InvalidOperationException($"The worker said it is '{started.WorkerId}', not '{workerId}'.");
            }

            await InitializeAsync(exited, token).ConfigureAwait(false);
            await LoadFunctionsAsync(exited, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker was not ready within {_options.StartTimeout}.");
        }
        finally
        {
            await starting.CancelAsync().ConfigureAwait(false);
            await exited.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task InitializeAsync(Task exited, CancellationToken token)
    {
        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = _options.AppDirectory,
            FunctionAppDirectory = _options.AppDirectory,
        };
        // What the host offers every worker; V2 compatibility and the function data cache are off by default.
        init.Capabilities.Add("MultiStream", "10");
        var answer = (await First(Request("init", new StreamingMessage { WorkerInitRequest = init }, token), exited, token).ConfigureAwait(false)).WorkerInitResponse;
        EnsureSuccess(answer.Result, "WorkerInitRequest");
        WorkerCapabilities = answer.Capabilities.ToDictionary();
        WorkerHttpUri = WorkerCapabilities.TryGetValue("HttpUri", out var uri)
            ? new Uri(uri)
            : throw new InvalidOperationException("The worker reported no HttpUri: is the ASP.NET Core integration (ConfigureFunctionsWebApplication) on?");
    }

    private async Task LoadFunctionsAsync(Task exited, CancellationToken token)
    {
        var metadata = (await First(
            Request("metadata", new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _options.AppDirectory } }, token),
            exited,
            token).ConfigureAwait(false)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked the host to index its functions; this host supports worker indexing only.");
        }

        var routePrefix = HostJson.RoutePrefix(_options.AppDirectory);
        Functions = [.. metadata.FunctionMetadataResults.Select(m => LoadedFunction.From(m, routePrefix))];
        HttpFunctionsByPrecedence = [.. Functions.Where(f => f.IsHttp).OrderBy(f => f.Http!.Precedence)];

        // One FunctionLoadRequest per function: the .NET worker does not advertise SupportsLoadResponseCollection.
        var loads = Functions.Select(f => Request("load:" + f.FunctionId, new StreamingMessage { FunctionLoadRequest = f.ToLoadRequest() }, token)).ToList();
        foreach (var load in loads)
        {
            var answer = (await First(load, exited, token).ConfigureAwait(false)).FunctionLoadResponse;
            EnsureSuccess(answer.Result, "FunctionLoadRequest " + Functions.Single(f => f.FunctionId == answer.FunctionId).Name);
        }
    }

    private Dictionary<string, string?> WorkerEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsScriptRoot"] = _options.AppDirectory,
        };
        foreach (var (key, value) in _options.Settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        environment["FUNCTIONS_WORKER_DIRECTORY"] = _options.AppDirectory;
        environment["FUNCTIONS_APPLICATION_DIRECTORY"] = _options.AppDirectory;
        foreach (var (key, value) in _options.WorkerEnvironment)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary><c>%Name%</c> in a binding property is an app setting, as the host resolves it.</summary>
    private string ResolveSetting(string value)
        => value.Length > 2 && value[0] == '%' && value[^1] == '%'
            ? (_options.Settings.TryGetValue(value[1..^1], out var setting) ? setting : null)
                ?? throw new InvalidOperationException($"The app setting {value} is not set.")
            : value;

    private Task<StreamingMessage> Request(string key, StreamingMessage message, CancellationToken token)
        => Channel.RequestAsync(key, message, Timeout.InfiniteTimeSpan, token);

    private void TrySend(StreamingMessage message)
    {
        try
        {
            Channel.Send(message);
        }
        catch (InvalidOperationException)
        {
            // The stream is already closed.
        }
    }

    private static async Task ExitDuringStartAsync(WorkerProcess worker, CancellationToken token)
    {
        var code = await worker.WaitForExitAsync(token).ConfigureAwait(false);
        throw new InvalidOperationException($"The worker process exited during start-up (exit code {code}).");
    }

    private static async Task<T> First<T>(Task<T> awaited, Task exited, CancellationToken token)
    {
        var done = await Task.WhenAny(awaited, exited, Task.Delay(Timeout.Infinite, token)).ConfigureAwait(false);
        if (done != awaited)
        {
            await done.ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
        }

        return await awaited.ConfigureAwait(false);
    }

    private static void EnsureSuccess(StatusResult result, string what)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{what} failed ({result.Status}): {result.Exception?.Message}{Environment.NewLine}{result.Exception?.StackTrace}");
        }
    }

    private void LogFromWorker(RpcLog log)
    {
        var line = $"{log.Level} {log.Category}: {log.Message}";
        if (log.Exception is { } exception)
        {
            line += $" {exception.Type}: {exception.Message}{Environment.NewLine}{exception.StackTrace}";
        }

        if (log.Properties.Length > 0)
        {
            line += " " + log.Properties;
        }

        _logs.Enqueue(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <param name="Succeeded">The worker's <c>StatusResult</c> was <c>Success</c>.</param>
/// <param name="Error">The exception message the worker reported, if it failed.</param>
public sealed record InvocationResult(string InvocationId, bool Succeeded, string? Error);
