using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Guessing limits of a user's factor, kept on the profile (NIST SP 800-63B 5.2.2): consecutive wrong codes are
/// counted across verifications and resends; every <see cref="VerificationOptions.MaxAttempts"/> of them lock the
/// factor for <see cref="VerificationOptions.LockoutPeriod"/>, doubling on each repeat up to a day;
/// <see cref="VerificationOptions.HardLockAfter"/> lock it until the relying app resets it. A success clears it all.
/// The caller saves the profile with its ETag, so parallel guesses are each counted.
/// </summary>
internal static class FactorLock
{
    public static readonly TimeSpan MaxLockout = TimeSpan.FromDays(1);

    /// <returns>The "locked" answer when the factor is locked at <paramref name="now"/>, else null.</returns>
    public static Failure? Check(UserProfileEntity profile, DateTimeOffset now)
    {
        if (profile.HardLocked)
        {
            return new Failure(FailureKind.Locked, "Too many wrong codes: two-factor sign-in is locked until the app resets it.") { AttemptsLeft = 0 };
        }

        return profile.LockedUntil is { } until && until > now
            ? new Failure(FailureKind.Locked, "Too many wrong codes. Try again later.") { AttemptsLeft = 0, RetryAfter = until - now }
            : null;
    }

    /// <summary>Wrong codes the factor takes before it locks again (when it is not locked now).</summary>
    public static int AttemptsLeft(UserProfileEntity profile, VerificationOptions options)
        => Math.Min(options.MaxAttempts - profile.FailedAttempts % options.MaxAttempts, options.HardLockAfter - profile.FailedAttempts);

    /// <summary>Counts one wrong code.</summary>
    /// <returns>True when this failure locked the factor.</returns>
    public static bool RecordFailure(UserProfileEntity profile, DateTimeOffset now, VerificationOptions options)
    {
        profile.FailedAttempts++;
        profile.TotalFailures++;
        if (profile.FailedAttempts >= options.HardLockAfter)
        {
            profile.HardLocked = true;
            return true;
        }

        if (profile.FailedAttempts % options.MaxAttempts != 0)
        {
            return false;
        }

        profile.Lockouts++;
        profile.LockedUntil = now + LockoutFor(profile.Lockouts, options.LockoutPeriod);
        return true;
    }

    public static void RecordSuccess(UserProfileEntity profile)
    {
        profile.FailedAttempts = 0;
        profile.Lockouts = 0;
        profile.LockedUntil = null;
    }

    /// <summary>What the relying app's reset clears: the count, the timed lock and the hard lock.</summary>
    public static void Reset(UserProfileEntity profile)
    {
        RecordSuccess(profile);
        profile.HardLocked = false;
    }

    /// <summary>The <paramref name="lockout"/>-th lock lasts period·2^(n-1), at most a day.</summary>
    public static TimeSpan LockoutFor(int lockout, TimeSpan period)
    {
        var factor = Math.Pow(2, Math.Clamp(lockout - 1, 0, 30));
        var ticks = period.Ticks * factor;
        return ticks >= MaxLockout.Ticks ? MaxLockout : TimeSpan.FromTicks((long)ticks);
    }
}
