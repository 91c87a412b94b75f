using System.Security.Cryptography;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.UnitTests.Crypto;

/// <summary>
/// Table keys and code hashes each use their own key, derived from lookup-key with HKDF-SHA256. The expected
/// values were computed apart from .NET (Python's hmac/hashlib, RFC 5869 written out by hand), so a change of
/// label, hash or derivation fails here.
/// </summary>
public sealed class KeyPurposesTests
{
    // 0x00, 0x01, ..., 0x1f
    private static readonly byte[] LookupKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void Hkdf_MatchesRfc5869_TestCase3()
    {
        // RFC 5869 A.3: SHA-256, IKM = 22 x 0x0b, no salt, no info; the first 32 bytes of its 42-byte OKM.
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, [.. Enumerable.Repeat((byte)0x0b, 22)], 32);

        Assert.Equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d", Convert.ToHexStringLower(okm));
    }

    [Theory]
    [InlineData(KeyPurposes.TableKeys, "58691258c4b1f8a60bc758f756c488513818a46fd9f873bf74864e2e87524b8a")]
    [InlineData(KeyPurposes.CodeHashes, "027d694c6c5e34b9e2babdd76e64e1a2793ebc8848e74fd424d5f1652a5c44bc")]
    public void Derive_KnownAnswer(string label, string expected)
        => Assert.Equal(expected, Convert.ToHexStringLower(KeyPurposes.Derive(LookupKey, label)));

    [Fact]
    public void Derive_GivesADistinctKeyPerLabel_NeitherBeingTheLookupKey()
    {
        var table = KeyPurposes.Derive(LookupKey, KeyPurposes.TableKeys);
        var codes = KeyPurposes.Derive(LookupKey, KeyPurposes.CodeHashes);

        Assert.NotEqual(table, codes);
        Assert.NotEqual(LookupKey, table);
        Assert.NotEqual(LookupKey, codes);
        Assert.NotEqual(table, KeyPurposes.Derive(LookupKey, "serverless2fa table-keys v2"));
    }

    [Fact]
    public async Task KeyRing_HashesTableKeysAndCodes_WithTheirOwnDerivedKeys()
    {
        var secrets = new InMemorySecrets();
        secrets.Values[SecretNames.LookupKey] = Convert.ToBase64String(LookupKey);
        var ring = new KeyRing(secrets);

        // HMAC-SHA256(table key, "user-id\nalice"), first 20 bytes; HMAC-SHA256(code key, "salt1\n123456").
        Assert.Equal("e439e70fcf00ff13f34e6dccdf5681e9299d560a", await ring.LookupHashAsync("user-id", "alice", default));
        Assert.Equal("b0e12617aa924f19abfaa8725ebace1e0156b02b45bd86734f9167e7998526f2", await ring.CodeHashAsync("salt1", "123456", default));
        // Neither is the lookup key used directly, as it was before keys were split by purpose.
        Assert.NotEqual(Hashes.OfCode(LookupKey, "salt1", "123456"), await ring.CodeHashAsync("salt1", "123456", default));
    }
}
