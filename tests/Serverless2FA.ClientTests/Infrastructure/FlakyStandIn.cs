using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless2FA.ClientTests.Infrastructure;

/// <summary>
/// A stand-in HTTP server in front of the service (Kestrel on 127.0.0.1): it answers the next requests to a path
/// with a real 503 or 429 problem and a <c>Retry-After</c>, as the service does when a dependency fails, and passes
/// every other request through to the service unchanged. It counts what reached it, so a test sees each retry.
/// </summary>
public sealed class FlakyStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, int RetryAfter)>> _failures = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly HttpClient _service;
    private WebApplication? _app;

    private FlakyStandIn(HttpMessageHandler service, Uri serviceBase)
        => _service = new HttpClient(service) { BaseAddress = serviceBase };

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FlakyStandIn> StartAsync(HttpMessageHandler service, Uri serviceBase)
    {
        var standIn = new FlakyStandIn(service, serviceBase);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.BaseUrl = new Uri(app.Urls.Single() + "/");
        standIn._app = app;
        return standIn;
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get <paramref name="status"/> with <c>Retry-After: <paramref name="retryAfterSeconds"/></c>.</summary>
    public void FailNext(string path, int status, int retryAfterSeconds, int times = 1)
    {
        var queue = _failures.GetOrAdd(path, _ => new ConcurrentQueue<(int, int)>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue((status, retryAfterSeconds));
        }
    }

    /// <summary>Requests to <paramref name="path"/> that reached the stand-in, failed or passed on.</summary>
    public int RequestsTo(string path) => _requests.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _service.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (_failures.TryGetValue(path, out var queue) && queue.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            context.Response.Headers.RetryAfter = failure.RetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/problem+json";
            var kind = failure.Status == 503 ? "unavailable" : "rate-limited";
            await context.Response.WriteAsync(
                $$"""{"type":"urn:serverless2fa:problem:{{kind}}","title":"Temporarily unavailable.","status":{{failure.Status}},"detail":"The stand-in refused this one."}""");
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            forward.Content = new ByteArrayContent(body.ToArray());
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        }

        using var answer = await _service.SendAsync(forward);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (header.Key is not ("Transfer-Encoding" or "Content-Length"))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        if (answer.StatusCode != HttpStatusCode.NoContent)
        {
            await answer.Content.CopyToAsync(context.Response.Body);
        }
    }
}
