namespace Serverless2FA.Client;

/// <summary>What <c>POST api/verifications/{id}/check</c> answered.</summary>
public abstract record VerificationCheck
{
    private VerificationCheck()
    {
    }

    /// <summary>The code was right. The verification is now used up for ever.</summary>
    /// <param name="UserId">The user the verification belongs to.</param>
    /// <param name="VerificationId">The verification approved; usable once as a step-up within <c>Enrollment:StepUpTtl</c>.</param>
    /// <param name="Method">The user's method (absent from services older than the step-up contract).</param>
    /// <param name="DeviceToken">With <c>rememberDevice</c> and policy once-per-computer: keep it (secure, HttpOnly) and pass it at the next start.</param>
    /// <param name="UsedEmergencyCode">An emergency code was used; it works no more.</param>
    /// <param name="EmergencyCodesLeft">Emergency codes left, after one was used.</param>
    public sealed record Approved(string UserId, string VerificationId, TwoFactorMethod? Method, string? DeviceToken, bool UsedEmergencyCode, int? EmergencyCodesLeft) : VerificationCheck;

    /// <summary>The code was wrong; <paramref name="AttemptsLeft"/> more before a lock.</summary>
    public sealed record Denied(int AttemptsLeft) : VerificationCheck;

    /// <summary>
    /// 423: too many wrong codes, for this verification or for the user's factor. <paramref name="RetryAfter"/> is
    /// when a timed lock ends; null when it lasts until reset or when only this verification is spent.
    /// </summary>
    public sealed record Locked(TimeSpan? RetryAfter, Problem Problem) : VerificationCheck;

    /// <summary>410: expired, already approved, or replaced by a newer texted code. Start a new verification.</summary>
    public sealed record Expired(Problem Problem) : VerificationCheck;

    /// <summary>404: no such verification for this user. Nothing was counted.</summary>
    public sealed record NotFound(Problem Problem) : VerificationCheck;

    /// <summary>400 on the code: neither a 6-digit code nor an emergency code. Nothing was counted.</summary>
    public sealed record InvalidCode(Problem Problem) : VerificationCheck;
}
