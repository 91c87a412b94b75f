using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Core;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>
/// Key Vault at the protocol level for the real <c>SecretClient</c> (through <c>SecretClientOptions.Transport</c>), so
/// the app's own caching is what is measured: it answers the authentication challenge, serves the app's secrets and
/// counts the authenticated secret reads that reach it.
/// </summary>
internal sealed class CountingKeyVault : HttpMessageHandler
{
    public const string Token = "bench-token";

    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private long _reads;

    public Uri VaultUri { get; } = new($"https://kv{Guid.NewGuid():N}"[..24] + ".vault.azure.net/");

    public long Reads => Interlocked.Read(ref _reads);

    public void ResetReads() => Interlocked.Exchange(ref _reads, 0);

    public void Set(string name, string value) => _secrets[name] = value;

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: Token })
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = Json(new { error = new { code = "Unauthorized" } }) };
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa\", resource=\"https://vault.azure.net\"");
            return Task.FromResult(challenge);
        }

        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        var name = segments.Length >= 2 ? segments[1] : string.Empty;
        Interlocked.Increment(ref _reads);
        if (!_secrets.TryGetValue(name, out var value))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = Json(new { error = new { code = "SecretNotFound", message = "not found" } }) });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = Json(new { value, id = $"{VaultUri}secrets/{name}/{Guid.NewGuid():N}", attributes = new { enabled = true } }),
        });
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>The token the vault accepts; the real credential chain is not what is measured.</summary>
    internal sealed class Credential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(Token, TimeProvider.System.GetUtcNow().AddDays(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(GetToken(requestContext, cancellationToken));
    }
}
