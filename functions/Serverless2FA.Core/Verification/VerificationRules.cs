using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>The time and count rules of a verification, apart from storage so they can be tested on a fake clock.</summary>
internal static class VerificationRules
{
    /// <summary>Expiry holds on use: past its time a verification (and its texted code) is refused whether or not the sweep ran.</summary>
    public static bool IsExpired(VerificationEntity verification, DateTimeOffset now)
        => verification.Status == VerificationStatus.Expired || verification.ExpiresAt <= now;

    /// <summary>
    /// Wrong codes this verification still takes: <see cref="VerificationOptions.MaxAttempts"/> less every wrong code the
    /// user's factor received since it started (its own, and any other verification's: never fewer than its own).
    /// </summary>
    public static int AttemptsLeft(UserProfileEntity profile, VerificationEntity verification, VerificationOptions options)
        => options.MaxAttempts - (profile.TotalFailures - verification.FailuresAtStart);

    /// <summary>
    /// How long until another code may be texted to the user; zero when it may be now. The cooldown holds only while
    /// the last texted code is pending: once it approved (or its verification expired) the next log-in texts at once.
    /// </summary>
    public static TimeSpan CooldownLeft(UserProfileEntity profile, DateTimeOffset now, VerificationOptions options)
        => PendingCode(profile, now, options) is not null && profile.LastCodeSentAt!.Value + options.ResendCooldown > now
            ? profile.LastCodeSentAt.Value + options.ResendCooldown - now
            : TimeSpan.Zero;

    /// <summary>The verification whose texted code is still pending (not approved, not expired); null when none is.</summary>
    public static string? PendingCode(UserProfileEntity profile, DateTimeOffset now, VerificationOptions options)
        => profile is { SmsVerificationId: { } id, LastCodeSentAt: { } sent } && sent + options.CodeTtl > now ? id : null;
}
