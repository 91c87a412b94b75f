using System.Security.Cryptography;
using System.Text;

namespace Serverless2FA.Core.Crypto;

/// <summary>
/// One key per purpose, derived from the <c>lookup-key</c> secret with HKDF-SHA256 (RFC 5869) and a distinct
/// label, so table keys and code hashes never share a key: either can be audited or rotated (a new label
/// version) alone, and a key that leaks for one purpose says nothing about the other or about lookup-key.
/// </summary>
public static class KeyPurposes
{
    /// <summary>HMACs that table keys are made of (user ids, phone numbers, join codes).</summary>
    public const string TableKeys = "serverless2fa table-keys v1";

    /// <summary>Salted HMACs of low-entropy codes (texted codes, emergency codes).</summary>
    public const string CodeHashes = "serverless2fa code-hashes v1";

    public const int KeySize = 32;

    /// <summary>HKDF-SHA256 with no salt (the input is already a uniformly random key) and the label as info.</summary>
    public static byte[] Derive(byte[] lookupKey, string label)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, lookupKey, KeySize, salt: null, info: Encoding.UTF8.GetBytes(label));
}
