using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.Core.Crypto;

/// <summary>
/// The app's keys, read from the secret store (which caches them): versioned AES-256-GCM data keys
/// for what must be read back (TOTP seeds, phone numbers), and the lookup key, from which one HMAC key
/// for table keys and another for code hashes are derived (<see cref="KeyPurposes"/>), so a copy of the
/// tables alone reveals neither phones, user ids nor codes.
/// </summary>
public sealed class KeyRing(ISecretStore secrets)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // The store caches the secret strings; these keep the parsed keys, so the hot path does not
    // re-parse JSON and base64 on every request. A rotated secret is a new string and is parsed anew.
    // Held in immutable objects so that swapping one is a single atomic reference write.
    private Parsed<DataKeys>? _dataKeys;
    private Parsed<PurposeKeys>? _lookupKeys;

    /// <summary>Encrypts with the active data key; <paramref name="context"/> binds the ciphertext to its row and purpose.</summary>
    public async Task<string> EncryptAsync(string plaintext, string context, CancellationToken cancellationToken)
    {
        var keys = await GetDataKeysAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Keys[keys.Active];
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(context));
        return keys.Active + ":" + Convert.ToBase64String(output);
    }

    public async Task<string> DecryptAsync(string ciphertext, string context, CancellationToken cancellationToken)
    {
        var separator = ciphertext.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new CryptographicException("The ciphertext carries no key version.");
        }

        var keys = await GetDataKeysAsync(cancellationToken).ConfigureAwait(false);
        if (!keys.Keys.TryGetValue(ciphertext[..separator], out var key))
        {
            throw new CryptographicException("The data key this value was encrypted with is no longer in the key ring.");
        }

        var input = Convert.FromBase64String(ciphertext[(separator + 1)..]);
        var length = input.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>A keyed, purpose-bound hash: stable for lookups, useless without the key.</summary>
    public async Task<string> LookupHashAsync(string purpose, string value, CancellationToken cancellationToken)
    {
        var keys = await GetPurposeKeysAsync(cancellationToken).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(keys.TableKeys, Encoding.UTF8.GetBytes(purpose + "\n" + value));
        return Convert.ToHexStringLower(mac.AsSpan(0, 20));
    }

    /// <summary>A salted, keyed hash of a low-entropy code (SMS or emergency code).</summary>
    public async Task<string> CodeHashAsync(string salt, string code, CancellationToken cancellationToken)
    {
        var keys = await GetPurposeKeysAsync(cancellationToken).ConfigureAwait(false);
        return Hashes.OfCode(keys.CodeHashes, salt, code);
    }

    private async Task<PurposeKeys> GetPurposeKeysAsync(CancellationToken cancellationToken)
    {
        var value = await secrets.GetAsync(SecretNames.LookupKey, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The secret '{SecretNames.LookupKey}' is not set.");
        if (_lookupKeys is { } cached && ReferenceEquals(cached.Raw, value))
        {
            return cached.Value;
        }

        var key = Convert.FromBase64String(value);
        if (key.Length < 32)
        {
            throw new InvalidOperationException($"The secret '{SecretNames.LookupKey}' must hold at least 32 bytes.");
        }

        var keys = new PurposeKeys(KeyPurposes.Derive(key, KeyPurposes.TableKeys), KeyPurposes.Derive(key, KeyPurposes.CodeHashes));
        _lookupKeys = new Parsed<PurposeKeys>(value, keys);
        return keys;
    }

    private async Task<DataKeys> GetDataKeysAsync(CancellationToken cancellationToken)
    {
        var value = await secrets.GetAsync(SecretNames.DataKeys, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The secret '{SecretNames.DataKeys}' is not set.");
        if (_dataKeys is { } cached && ReferenceEquals(cached.Raw, value))
        {
            return cached.Value;
        }

        var keys = DataKeys.Parse(value);
        _dataKeys = new Parsed<DataKeys>(value, keys);
        return keys;
    }

    private sealed record Parsed<T>(string Raw, T Value);

    private sealed record PurposeKeys(byte[] TableKeys, byte[] CodeHashes);

    private sealed record DataKeys(string Active, IReadOnlyDictionary<string, byte[]> Keys)
    {
        public static DataKeys Parse(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var active = doc.RootElement.GetProperty("active").GetString() ?? throw new InvalidOperationException("data-keys: 'active' is missing.");
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.GetProperty("keys").EnumerateObject())
            {
                var key = Convert.FromBase64String(entry.Value.GetString() ?? string.Empty);
                if (key.Length != 32)
                {
                    throw new InvalidOperationException($"data-keys: key '{entry.Name}' must be 32 bytes (AES-256).");
                }

                keys[entry.Name] = key;
            }

            return keys.ContainsKey(active) ? new DataKeys(active, keys) : throw new InvalidOperationException($"data-keys: the active key '{active}' is not in 'keys'.");
        }
    }
}
