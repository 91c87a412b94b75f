using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Serverless2FA.UnitTests.Secrets;

/// <summary>
/// Key Vault at the protocol level, as a <see cref="HttpMessageHandler"/> for <c>SecretClientOptions.Transport</c>:
/// challenges unauthenticated requests the way the service does, then serves <c>GET /secrets/{name}/</c>.
/// </summary>
internal sealed class KeyVaultStandIn : HttpMessageHandler
{
    public const string Token = "dummy-token";
    public const string Tenant = "00000000-0000-0000-0000-0000000000aa";

    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private readonly ConcurrentDictionary<string, HttpStatusCode> _failures = new();
    private TaskCompletionSource _gate = CompletedGate();

    public Uri VaultUri { get; } = new($"https://kv{Guid.NewGuid():N}.vault.azure.net/");

    public int Challenges;

    public void Set(string name, string value) => _secrets[name] = value;

    public void FailWith(string name, HttpStatusCode status) => _failures[name] = status;

    public void Recover(string name) => _failures.TryRemove(name, out _);

    /// <summary>Authenticated reads of a secret that reached the vault.</summary>
    public int ReadsOf(string name) => _reads.GetValueOrDefault(name);

    /// <summary>Holds every secret answer until <see cref="Release"/>, so callers can pile up.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: Token })
        {
            Interlocked.Increment(ref Challenges);
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = Json(new { error = new { code = "Unauthorized", message = "AKV10000: Request is missing a Bearer or PoP token." } }) };
            challenge.Headers.TryAddWithoutValidation(
                "WWW-Authenticate", $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"");
            return challenge;
        }

        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        if (request.Method != HttpMethod.Get || segments.Length < 2 || segments[0] != "secrets" || !request.RequestUri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = Json(new { error = new { code = "BadParameter", message = "Unsupported request." } }) };
        }

        var name = segments[1];
        _reads.AddOrUpdate(name, 1, (_, n) => n + 1);
        await _gate.Task.WaitAsync(cancellationToken);

        if (_failures.TryGetValue(name, out var failure))
        {
            return new HttpResponseMessage(failure) { Content = Json(new { error = new { code = "Forbidden", message = "Caller is not authorized." } }) };
        }

        if (!_secrets.TryGetValue(name, out var value))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = Json(new { error = new { code = "SecretNotFound", message = $"A secret with (name/id) {name} was not found in this key vault." } }),
            };
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = Json(new
            {
                value,
                id = $"{VaultUri}secrets/{name}/{Guid.NewGuid():N}",
                attributes = new { enabled = true, created = 1700000000, updated = 1700000000, recoveryLevel = "Recoverable+Purgeable" },
            }),
        };
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
