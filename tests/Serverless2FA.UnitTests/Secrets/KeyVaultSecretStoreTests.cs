using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.UnitTests.Secrets;

public sealed class KeyVaultSecretStoreTests : IDisposable
{
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(30);

    private readonly KeyVaultStandIn _vault = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly KeyVaultSecretStore _store;

    public KeyVaultSecretStoreTests()
    {
        _http = new HttpClient(_vault);
        var client = new SecretClient(_vault.VaultUri, new DummyCredential(), new SecretClientOptions
        {
            Transport = new HttpClientTransport(_http),
            DisableChallengeResourceVerification = true,
        });
        _store = new KeyVaultSecretStore(
            client,
            Microsoft.Extensions.Options.Options.Create(new KeyVaultOptions { Uri = _vault.VaultUri, CacheTtl = CacheTtl }),
            _time,
            NullLogger<KeyVaultSecretStore>.Instance);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Get_ReadsTheValue_AfterTheAuthenticationChallenge()
    {
        _vault.Set(SecretNames.LookupKey, "c2VjcmV0");

        var value = await _store.GetAsync(SecretNames.LookupKey, CancellationToken.None);

        Assert.Equal("c2VjcmV0", value);
        Assert.Equal("keyvault", _store.Kind);
        Assert.Equal(1, _vault.Challenges);
        Assert.Equal(1, _vault.ReadsOf(SecretNames.LookupKey));
    }

    [Fact]
    public async Task Get_Repeated_IsServedFromTheCache()
    {
        _vault.Set(SecretNames.TwilioAuthToken, "token");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("token", await _store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        }

        Assert.Equal(1, _vault.ReadsOf(SecretNames.TwilioAuthToken));
    }

    [Fact]
    public async Task Get_AfterCacheTtl_RefetchesAndSeesTheRotatedValue()
    {
        _vault.Set(SecretNames.TwilioAuthToken, "old");
        Assert.Equal("old", await _store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        _vault.Set(SecretNames.TwilioAuthToken, "new");

        _time.Advance(CacheTtl - TimeSpan.FromSeconds(1));
        Assert.Equal("old", await _store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        Assert.Equal(1, _vault.ReadsOf(SecretNames.TwilioAuthToken));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("new", await _store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        Assert.Equal(2, _vault.ReadsOf(SecretNames.TwilioAuthToken));
    }

    [Fact]
    public async Task Get_MissingSecret_IsNull_AndRememberedBriefly()
    {
        Assert.Null(await _store.GetAsync("no-such-secret", CancellationToken.None));
        Assert.Null(await _store.GetAsync("no-such-secret", CancellationToken.None));
        Assert.Equal(1, _vault.ReadsOf("no-such-secret"));

        _vault.Set("no-such-secret", "added later");
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("added later", await _store.GetAsync("no-such-secret", CancellationToken.None));
        Assert.Equal(2, _vault.ReadsOf("no-such-secret"));
    }

    [Fact]
    public async Task Get_ParallelFirstCalls_MakeOneRequest()
    {
        _vault.Set(SecretNames.DataKeys, "keys");
        _vault.Hold();

        // All callers arrive, from several threads, while the first read is still held at the vault.
        var calls = new Task<string?>[20];
        Parallel.For(0, calls.Length, i => calls[i] = _store.GetAsync(SecretNames.DataKeys, CancellationToken.None));
        _vault.Release();
        var values = await Task.WhenAll(calls);

        Assert.All(values, v => Assert.Equal("keys", v));
        Assert.Equal(1, _vault.ReadsOf(SecretNames.DataKeys));
    }

    [Fact]
    public async Task Get_WhenKeyVaultRefuses_Throws_AndTheFailureIsNotCached()
    {
        _vault.Set(SecretNames.LookupKey, "value");
        _vault.FailWith(SecretNames.LookupKey, HttpStatusCode.Forbidden);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => _store.GetAsync(SecretNames.LookupKey, CancellationToken.None));
        Assert.Equal(403, failure.Status);

        _vault.Recover(SecretNames.LookupKey);
        Assert.Equal("value", await _store.GetAsync(SecretNames.LookupKey, CancellationToken.None));
        Assert.Equal(2, _vault.ReadsOf(SecretNames.LookupKey));
    }

    private sealed class DummyCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(KeyVaultStandIn.Token, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(GetToken(requestContext, cancellationToken));
    }
}
