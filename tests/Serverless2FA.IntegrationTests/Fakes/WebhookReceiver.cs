using Serverless2FA.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless2FA.IntegrationTests.Fakes;

/// <summary>
/// The relying app's webhook endpoint: a real Kestrel server on loopback that records every request it gets and
/// answers each <c>webhook-id</c> as the test planned (by default 204).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _always = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(Func<string, bool> Matches, int[] Statuses)> _plansByBody = new();
    private WebApplication? _app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/hooks/2fa", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var id = request.Headers["webhook-id"].ToString();
            BindPlanByBody(id, body);
            var status = _always.TryGetValue(id, out var always) ? always
                : _plans.TryGetValue(id, out var plan) && plan.TryDequeue(out var planned) ? planned
                : StatusCodes.Status204NoContent;
            var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
            _received.Enqueue(new ReceivedWebhook(id, body, headers, status));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
        var address = _app.Urls.Single();
        Url = new Uri(new Uri(address), "/hooks/2fa");
    }

    /// <summary>Answers the next tries of <paramref name="eventId"/> with <paramref name="statuses"/>, then 204.</summary>
    public void Plan(string eventId, params int[] statuses) => _plans[eventId] = new ConcurrentQueue<int>(statuses);

    /// <summary>
    /// Answers the tries of the first event whose body <paramref name="matches"/> with <paramref name="statuses"/>, then
    /// 204: for an event a change emits, whose <c>webhook-id</c> the test cannot know before.
    /// </summary>
    public void PlanWhere(Func<string, bool> matches, params int[] statuses) => _plansByBody.Enqueue((matches, statuses));

    /// <summary>Answers every try of <paramref name="eventId"/> with <paramref name="status"/>.</summary>
    public void Always(string eventId, int status) => _always[eventId] = status;

    public IReadOnlyList<ReceivedWebhook> For(string eventId) => [.. _received.Where(r => r.Id == eventId)];

    /// <summary>Waits until <paramref name="done"/> holds for what was received; fails the test after <paramref name="timeout"/>.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout, string what)
        => Poll.UntilAsync(() => Received, done, timeout, received => $"Timed out waiting for {what}; received {received.Count} requests.");

    private void BindPlanByBody(string id, string body)
    {
        lock (_plansByBody)
        {
            if (_plans.ContainsKey(id) || _plansByBody.IsEmpty)
            {
                return;
            }

            var waiting = _plansByBody.ToArray();
            _plansByBody.Clear();
            var bound = false;
            foreach (var plan in waiting)
            {
                if (!bound && plan.Matches(body))
                {
                    _plans[id] = new ConcurrentQueue<int>(plan.Statuses);
                    bound = true;
                }
                else
                {
                    _plansByBody.Enqueue(plan);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <param name="AnsweredWith">The status the receiver answered this try with.</param>
public sealed record ReceivedWebhook(string Id, string Body, IHeaderDictionary Headers, int AnsweredWith);
