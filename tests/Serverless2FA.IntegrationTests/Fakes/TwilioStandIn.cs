using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless2FA.IntegrationTests.Fakes;

/// <summary>A message the stand-in accepted, as Twilio would have queued it.</summary>
/// <param name="MaxPrice">The <c>MaxPrice</c> form field as the SDK sent it; null when there was none.</param>
public sealed record TwilioStandInMessage(
    string To, string? From, string? MessagingServiceSid, string Body, string? StatusCallback, string Sid, string? MaxPrice = null);

/// <summary>
/// A small Twilio on Kestrel (127.0.0.1, a free port) for the real Twilio SDK to talk to: the Messages create
/// endpoint with Basic auth, Twilio-shaped answers and errors, a record of every accepted message, failures on
/// demand per destination number, and a hang on demand (<see cref="Hold"/>). Use it as a class fixture or start it with <see cref="StartAsync"/>.
/// </summary>
public sealed class TwilioStandIn : IAsyncLifetime, IAsyncDisposable
{
    public const string DefaultAccountSid = "AC00000000000000000000000000000001";

    private readonly ConcurrentQueue<TwilioStandInMessage> _messages = new();
    private readonly ConcurrentDictionary<string, (int Status, int Times)> _failNext = new();
    private readonly ConcurrentDictionary<string, int> _rejections = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, Action> _onNextRequest = new();
    private WebApplication? _app;
    private TaskCompletionSource? _hold;

    public string AccountSid { get; init; } = DefaultAccountSid;

    public string AuthToken { get; init; } = NewAuthToken();

    /// <summary>Where the stand-in listens: the value for <c>Twilio:ApiBaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<TwilioStandInMessage> Messages => [.. _messages];

    public IReadOnlyList<TwilioStandInMessage> MessagesTo(string to) => [.. _messages.Where(m => m.To == to)];

    /// <summary>Waits (up to 10 seconds) for the message after the first <paramref name="before"/> ones sent to <paramref name="to"/>; returns its body.</summary>
    public async Task<string> NextMessageToAsync(string to, int before)
    {
        for (var waited = 0; waited < 200; waited++)
        {
            var messages = MessagesTo(to);
            if (messages.Count > before)
            {
                return messages[before].Body;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No text reached the Twilio stand-in for {to} within 10 seconds.");
    }

    /// <summary>Create requests for <paramref name="to"/> that reached the stand-in with valid credentials.</summary>
    public int AttemptsFor(string to) => _attempts.GetValueOrDefault(to);

    /// <summary>The next <paramref name="times"/> sends to <paramref name="to"/> get <paramref name="status"/> (429 or 5xx).</summary>
    public void FailNext(string to, int status, int times = 1) => _failNext[to] = (status, times);

    /// <summary>
    /// Twilio hangs: every create request from now on is read and counted, then held with no answer until
    /// <see cref="Release"/> (or until the caller gives up, when nothing is sent).
    /// </summary>
    public void Hold() => Interlocked.CompareExchange(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Answers again; requests still held (their callers still waiting) go on as usual.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <summary>
    /// Runs <paramref name="action"/> once, when the next create request for <paramref name="to"/> has arrived and before
    /// it is answered: a fault that starts while Twilio takes the text (storage stalling, say).
    /// </summary>
    public void OnNextRequest(string to, Action action) => _onNextRequest[to] = action;

    /// <summary>Every send to <paramref name="to"/> is refused with a Twilio error code (21610 opted out, 21211 invalid, ...).</summary>
    public void Reject(string to, int errorCode) => _rejections[to] = errorCode;

    public static async Task<TwilioStandIn> StartAsync(string? accountSid = null, string? authToken = null)
    {
        var standIn = new TwilioStandIn { AccountSid = accountSid ?? DefaultAccountSid, AuthToken = authToken ?? NewAuthToken() };
        await standIn.StartAsync();
        return standIn;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", CreateMessageAsync);
        await app.StartAsync();
        BaseUrl = new Uri(app.Urls.Single());
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private async Task<IResult> CreateMessageAsync(string accountSid, HttpRequest request)
    {
        if (!IsAuthorized(request.Headers.Authorization))
        {
            return Error(401, 20003, "Authenticate");
        }

        if (accountSid != AccountSid)
        {
            return Error(404, 20404, $"The requested resource /2010-04-01/Accounts/{accountSid}/Messages.json was not found");
        }

        var form = await request.ReadFormAsync();
        string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
        var to = Field("To");
        var from = Field("From");
        var messagingServiceSid = Field("MessagingServiceSid");
        if (string.IsNullOrEmpty(to))
        {
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(messagingServiceSid))
        {
            return Error(400, 21603, "A 'From' phone number is required.");
        }

        _attempts.AddOrUpdate(to, 1, (_, n) => n + 1);
        if (_onNextRequest.TryRemove(to, out var onRequest))
        {
            onRequest();
        }

        if (Volatile.Read(ref _hold) is { } hold)
        {
            try
            {
                await hold.Task.WaitAsync(request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up: as with a hung Twilio, it never learns whether the message was taken.
                return Results.Empty;
            }
        }

        if (_rejections.TryGetValue(to, out var code))
        {
            return Error(400, code, code == 21610
                ? "Attempt to send to unsubscribed recipient"
                : $"The 'To' number {to} is not a valid phone number.");
        }

        if (TakeFailure(to) is { } status)
        {
            return Error(status, status == 429 ? 20429 : 20500, status == 429 ? "Too Many Requests" : "Internal Server Error");
        }

        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var body = Field("Body") ?? "";
        _messages.Enqueue(new TwilioStandInMessage(to, from, messagingServiceSid, body, Field("StatusCallback"), sid, Field("MaxPrice")));

        var now = TimeProvider.System.GetUtcNow().ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(
            new Dictionary<string, object?>
            {
                ["account_sid"] = AccountSid,
                ["api_version"] = "2010-04-01",
                ["body"] = body,
                ["date_created"] = now,
                ["date_sent"] = null,
                ["date_updated"] = now,
                ["direction"] = "outbound-api",
                ["error_code"] = null,
                ["error_message"] = null,
                ["from"] = from,
                ["messaging_service_sid"] = messagingServiceSid,
                ["num_media"] = "0",
                ["num_segments"] = "1",
                ["price"] = null,
                ["price_unit"] = "USD",
                ["sid"] = sid,
                ["status"] = messagingServiceSid is null ? "queued" : "accepted",
                ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}/Media.json" },
                ["to"] = to,
                ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json",
            },
            statusCode: 201);
    }

    private int? TakeFailure(string to)
    {
        while (_failNext.TryGetValue(to, out var failure))
        {
            var left = failure with { Times = failure.Times - 1 };
            var updated = left.Times == 0
                ? _failNext.TryRemove(new KeyValuePair<string, (int, int)>(to, failure))
                : _failNext.TryUpdate(to, left, failure);
            if (updated)
            {
                return failure.Status;
            }
        }

        return null;
    }

    private bool IsAuthorized(string? header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Scheme != "Basic" || value.Parameter is null)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}");
        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(value.Parameter), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string NewAuthToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static IResult Error(int status, int code, string message)
        => Results.Json(
            new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status },
            statusCode: status);
}
