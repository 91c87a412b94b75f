using System.Security.Cryptography;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.UnitTests.Crypto;

public sealed class KeyRingTests
{
    [Fact]
    public async Task Encrypt_RoundTrips_AndNeverShowsThePlaintext()
    {
        var ring = new KeyRing(new InMemorySecrets());

        var cipher = await ring.EncryptAsync("+12015550123", "phone|u1", default);

        Assert.StartsWith("v1:", cipher);
        Assert.DoesNotContain("2015550123", cipher);
        Assert.Equal("+12015550123", await ring.DecryptAsync(cipher, "phone|u1", default));
    }

    [Fact]
    public async Task Decrypt_WithAnotherContext_Fails()
    {
        var ring = new KeyRing(new InMemorySecrets());
        var cipher = await ring.EncryptAsync("seed", "totp-seed|u1", default);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => ring.DecryptAsync(cipher, "totp-seed|u2", default));
    }

    [Fact]
    public async Task Decrypt_AfterRotation_ReadsOldValues_AndEncryptsWithTheNewKey()
    {
        var secrets = new InMemorySecrets();
        var ring = new KeyRing(secrets);
        var old = await ring.EncryptAsync("secret", "c", default);
        var v1 = secrets.Values[SecretNames.DataKeys].Split("\"v1\":\"")[1].Split('"')[0];
        secrets.Values[SecretNames.DataKeys] = $$$"""{"active":"v2","keys":{"v1":"{{{v1}}}","v2":"{{{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}}}"}}""";

        var fresh = await ring.EncryptAsync("secret", "c", default);

        Assert.Equal("secret", await ring.DecryptAsync(old, "c", default));
        Assert.StartsWith("v2:", fresh);
        Assert.Equal("secret", await ring.DecryptAsync(fresh, "c", default));
    }

    [Fact]
    public async Task LookupHash_IsStable_PurposeBound_AndKeyed()
    {
        var ring = new KeyRing(new InMemorySecrets());
        var other = new KeyRing(new InMemorySecrets());

        var a = await ring.LookupHashAsync("user-id", "alice", default);

        Assert.Equal(a, await ring.LookupHashAsync("user-id", "alice", default));
        Assert.NotEqual(a, await ring.LookupHashAsync("phone", "alice", default));
        Assert.NotEqual(a, await other.LookupHashAsync("user-id", "alice", default));
        Assert.DoesNotContain("alice", a);
    }

    [Fact]
    public async Task CodeHash_DependsOnSalt_AndComparesInConstantTime()
    {
        var ring = new KeyRing(new InMemorySecrets());
        var h1 = await ring.CodeHashAsync("salt1", "123456", default);
        var h2 = await ring.CodeHashAsync("salt2", "123456", default);

        Assert.NotEqual(h1, h2);
        Assert.True(Hashes.Equal(h1, await ring.CodeHashAsync("salt1", "123456", default)));
        Assert.False(Hashes.Equal(h1, await ring.CodeHashAsync("salt1", "123457", default)));
        Assert.False(Hashes.Equal(h1, null));
    }

    [Fact]
    public void TokenHash_IsSha256Hex()
    {
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Hashes.OfToken("test"));
    }

    [Fact]
    public void Tokens_Are128BitsUrlSafe()
    {
        var token = Randomness.Token();
        Assert.Equal(22, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.NotEqual(token, Randomness.Token());
    }

    [Fact]
    public void Base32_MatchesRfc4648()
    {
        Assert.Equal("MZXW6YTBOI", Randomness.Base32("foobar"u8));
    }
}
