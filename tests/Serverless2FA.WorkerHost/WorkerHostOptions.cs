namespace Serverless2FA.WorkerHost;

/// <summary>How <see cref="FunctionsHost"/> starts and fronts a built isolated worker.</summary>
public sealed class WorkerHostOptions
{
    /// <summary>The worker's build or publish output: <c>worker.config.json</c>, <c>functions.metadata</c>, <c>host.json</c> and the app.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>
    /// App settings. The Functions host runs with them as environment variables and the worker process inherits them;
    /// <c>:</c> in a key is written <c>__</c>, as in Azure.
    /// </summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Further environment variables for the worker process only (for example a startup hook).</summary>
    public IDictionary<string, string?> WorkerEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The function key accepted for <c>AuthorizationLevel.Function</c> (header <c>x-functions-key</c> or query <c>code</c>).</summary>
    public string FunctionKey { get; init; } = "test-function-key";

    /// <summary>The master key: every level, and the admin API (<c>POST admin/functions/{name}</c>).</summary>
    public string MasterKey { get; init; } = "test-master-key";

    /// <summary>How long the worker has from process start to the last function loaded.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Longest a proxied HTTP request may wait on the worker (the host's own is 240 s; tests want a bound that fails fast).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
