using System.Security.Cryptography;
using OtpNet;

namespace Serverless2FA.Core.Factors;

/// <summary>
/// RFC 6238 TOTP (SHA-1, 6 digits, 30-second steps) with a ±1-step window. Unlike a bool-returning
/// check, it returns the matched time step so the caller can accept each step at most once.
/// </summary>
public sealed class TotpFactor(TimeProvider time)
{
    public const int SeedBytes = 20;
    public const int StepSeconds = 30;

    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedBytes);

    /// <summary>What a user's seed is encrypted for (<c>KeyRing</c>), so a seed cipher cannot be moved to another user.</summary>
    public static string SeedContext(string userKey) => "totp-seed|" + userKey;

    /// <param name="base32Seed">The seed as stored and as shown for typing by hand.</param>
    /// <param name="lastAcceptedStep">The last step this user had accepted; it and anything before it are refused as replays.</param>
    public TotpCheck Check(string base32Seed, string code, long lastAcceptedStep) => Check(Base32Encoding.ToBytes(base32Seed), code, lastAcceptedStep);

    /// <param name="lastAcceptedStep">The last step this user had accepted; it and anything before it are refused as replays.</param>
    public TotpCheck Check(byte[] seed, string code, long lastAcceptedStep)
    {
        var totp = new OtpNet.Totp(seed, StepSeconds, OtpHashMode.Sha1, 6);
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return new TotpCheck(TotpOutcome.Wrong, 0);
        }

        return step > lastAcceptedStep ? new TotpCheck(TotpOutcome.Accepted, step) : new TotpCheck(TotpOutcome.Replayed, step);
    }

    /// <summary>The code for the current step: for tests and the phone simulator only.</summary>
    public string CodeNow(byte[] seed) => new OtpNet.Totp(seed, StepSeconds, OtpHashMode.Sha1, 6).ComputeTotp(time.GetUtcNow().UtcDateTime);

    /// <summary>The Key URI Format authenticator apps read: otpauth://totp/Issuer:label?secret=…&amp;issuer=….</summary>
    public static string OtpauthUri(string issuer, string label, string base32Secret)
    {
        var escapedIssuer = Uri.EscapeDataString(issuer);
        return $"otpauth://totp/{escapedIssuer}:{Uri.EscapeDataString(label)}?secret={base32Secret}&issuer={escapedIssuer}&algorithm=SHA1&digits=6&period={StepSeconds}";
    }
}

public enum TotpOutcome
{
    Accepted,
    Wrong,
    /// <summary>Right code, but its time step was already used: a replay.</summary>
    Replayed,
}

public readonly record struct TotpCheck(TotpOutcome Outcome, long MatchedStep);
