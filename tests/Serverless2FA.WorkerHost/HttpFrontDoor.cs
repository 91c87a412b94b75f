using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless2FA.WorkerHost.Rpc;
using Yarp.ReverseProxy.Forwarder;

namespace Serverless2FA.WorkerHost;

/// <summary>
/// What clients call: matches the request to an HTTP function (route prefix from host.json, methods), checks the
/// function key for its authorization level, then proxies as the host does for a worker that reports
/// <c>HttpUri</c>: the request (with <c>x-ms-invocation-id</c>) is forwarded to the worker's own Kestrel while the
/// matching <see cref="InvocationRequest"/> goes over gRPC, and the worker's answer streams back to the client.
/// Like the host, an unknown route or method is a bare 404 and a missing or wrong key a bare 401.
/// </summary>
internal sealed class HttpFrontDoor : IDisposable
{
    private const string InvocationIdHeader = "x-ms-invocation-id";
    private const string KeyHeader = "x-functions-key";
    private const string AdminPrefix = "/admin/functions/";

    private readonly FunctionsHost _host;
    private readonly IHttpForwarder _forwarder;
    private readonly WorkerHostOptions _options;
    private readonly HttpMessageInvoker _invoker;
    private readonly ForwarderRequestConfig _config;

    public HttpFrontDoor(FunctionsHost host, IHttpForwarder forwarder, WorkerHostOptions options)
    {
        _host = host;
        _forwarder = forwarder;
        _options = options;
        // As the host's proxy: no redirects followed, no cookie container (cookies pass through as headers), and
        // retries while the worker's Kestrel is not yet listening.
        _invoker = new HttpMessageInvoker(new ConnectRetryHandler(
            new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }, host.Log));
        _config = new ForwarderRequestConfig { ActivityTimeout = options.HttpTimeout };
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments(AdminPrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase, out var rest))
        {
            Admin(http, rest.Value?.Trim('/') ?? "");
            return;
        }

        var (function, route) = Match(http.Request);
        if (function is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!Authorized(function.Http!.AuthLevel, http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        await ProxyAsync(http, function, route).ConfigureAwait(false);
    }

    public void Dispose() => _invoker.Dispose();

    private async Task ProxyAsync(HttpContext http, LoadedFunction function, RouteValueDictionary route)
    {
        var invocationId = Guid.NewGuid().ToString();
        var request = await TriggerPayloads.HttpAsync(function, invocationId, http.Request, route).ConfigureAwait(false);

        // The host adds the id with TryAdd; a client's own x-ms-invocation-id would make the worker wait for an
        // invocation that never comes, so this host sets it.
        http.Request.Headers[InvocationIdHeader] = invocationId;
        var forwarding = _forwarder.SendAsync(http, _host.WorkerHttpUri.ToString(), _invoker, _config, HttpTransformer.Default).AsTask();
        var invocation = _host.Channel.RequestAsync(
            "invocation:" + invocationId, new StreamingMessage { InvocationRequest = request }, _options.HttpTimeout, http.RequestAborted);

        var error = await forwarding.ConfigureAwait(false);
        InvocationResponse? response = null;
        try
        {
            response = (await invocation.ConfigureAwait(false)).InvocationResponse;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            _host.Log($"Invocation {invocationId} of {function.Name} got no answer: {e.Message}");
        }

        if (response?.Result.Status != StatusResult.Types.Status.Success)
        {
            _host.Log($"Invocation {invocationId} of {function.Name} failed: {response?.Result.Exception?.Message ?? error.ToString()}");
        }

        if ((error != ForwarderError.None || response?.Result.Status != StatusResult.Types.Status.Success) && !http.Response.HasStarted)
        {
            // The host fails the invocation, and its HTTP pipeline answers a bare 500.
            http.Response.Clear();
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    /// <summary><c>POST admin/functions/{name}</c> with the master key runs a non-HTTP function now (202), as the host's admin API does.</summary>
    private void Admin(HttpContext http, string name)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!KeyMatches(http.Request, _options.MasterKey))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var function = _host.Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (function is null || function.IsHttp)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _host.InvokeAsync(function.Name, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _host.Log($"Admin run of {function.Name} failed: {e.Message}");
            }
        });
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>The most specific matching route wins (literal segments before parameters), as in the host's router.</summary>
    private (LoadedFunction? Function, RouteValueDictionary Route) Match(HttpRequest request)
    {
        foreach (var function in _host.HttpFunctionsByPrecedence)
        {
            if (function.Http!.TryMatch(request, out var values))
            {
                return (function, values);
            }
        }

        return (null, []);
    }

    private bool Authorized(string level, HttpRequest request) => level.ToUpperInvariant() switch
    {
        "ANONYMOUS" => true,
        "FUNCTION" => KeyMatches(request, _options.FunctionKey) || KeyMatches(request, _options.MasterKey),
        _ => KeyMatches(request, _options.MasterKey),
    };

    private static bool KeyMatches(HttpRequest request, string key)
    {
        var given = request.Headers[KeyHeader].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return given is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }
}
