using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Secrets;

/// <summary>
/// Secrets from Azure Key Vault, each cached in memory for <see cref="KeyVaultOptions.CacheTtl"/> so Key Vault sees a
/// handful of reads per instance. Concurrent first reads of a name share one request. A missing secret is null (and
/// remembered briefly); any other failure throws and is not cached, so the next call tries again.
/// </summary>
public sealed partial class KeyVaultSecretStore(
    SecretClient client,
    IOptions<KeyVaultOptions> options,
    TimeProvider timeProvider,
    ILogger<KeyVaultSecretStore> logger) : ISecretStore
{
    public const string KindName = "keyvault";

    /// <summary>A missing secret is looked up again after at most this long, so one added by hand shows up soon.</summary>
    internal static readonly TimeSpan NotFoundTtl = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Fetch> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Kind => KindName;

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Fetch fetch;
        lock (_gate)
        {
            if (!_cache.TryGetValue(name, out fetch!) || fetch.IsStale(timeProvider.GetUtcNow()))
            {
                fetch = new Fetch();
                _cache[name] = fetch;
                // Not the caller's token: other callers wait on this fetch too, and one leaving must not fail the rest.
                fetch.Start(FetchAsync(name, fetch));
            }
        }

        return fetch.Value.WaitAsync(cancellationToken);
    }

    private async Task<string?> FetchAsync(string name, Fetch fetch)
    {
        var ttl = options.Value.CacheTtl;
        try
        {
            var secret = await client.GetSecretAsync(name, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            fetch.ExpiresAt = timeProvider.GetUtcNow() + ttl;
            return secret.Value.Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            LogNotFound(logger, name);
            fetch.ExpiresAt = timeProvider.GetUtcNow() + (ttl < NotFoundTtl ? ttl : NotFoundTtl);
            return null;
        }
        catch (RequestFailedException ex)
        {
            LogFailed(logger, name, ex.Status, ex.ErrorCode);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault has no secret {SecretName}")]
    private static partial void LogNotFound(ILogger logger, string secretName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading Key Vault secret {SecretName} failed: status {Status}, {ErrorCode}")]
    private static partial void LogFailed(ILogger logger, string secretName, int status, string? errorCode);

    private sealed class Fetch
    {
        private Task<string?>? _value;

        public Task<string?> Value => _value ?? throw new InvalidOperationException("The fetch has not started.");

        /// <summary>Set by the fetch when it succeeds; until then the entry is in flight and shared.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        public void Start(Task<string?> value) => _value = value;

        public bool IsStale(DateTimeOffset now)
            => _value is { IsCompleted: true } value && (!value.IsCompletedSuccessfully || now >= ExpiresAt);
    }
}
