namespace Serverless2FA.Client;

/// <summary>
/// The relying app's calls to Serverless2FA, one per operation of its <c>openapi.yaml</c> that a relying app makes
/// (the setup page's, the texted links' and Twilio's routes are called by browsers and Twilio, not by you).
/// Expected outcomes come back as values; any other problem the service answers is a
/// <see cref="Serverless2FAProblemException"/>, and an unreachable service a <see cref="Serverless2FAUnavailableException"/>.
/// </summary>
public interface IServerless2FAClient
{
    /// <summary>
    /// "Text me": starts an enrollment; with a phone the setup link is texted, without one the person texts JOIN.
    /// A user who is already enrolled needs <see cref="StartEnrollmentRequest.StepUp"/>.
    /// </summary>
    /// <remarks>
    /// Retried on 503 and on a short 429 only without <c>StepUp</c>: a repeat replaces the pending enrollment,
    /// so the link in the answer is the one that works (at worst a second text). With <c>StepUp</c> it is never
    /// repeated, since the first attempt may have spent the step-up.
    /// </remarks>
    /// <exception cref="Serverless2FAProblemException">Invalid input (<see cref="Problem.Errors"/>), a number that
    /// opted out or cannot receive texts, a sending limit, or the service unavailable.</exception>
    [ServiceOperation("StartEnrollment", "POST", "/api/enrollments")]
    Task<EnrollmentStart> StartEnrollmentAsync(StartEnrollmentRequest request, CancellationToken cancellationToken = default);

    /// <summary>At log-in, after the password: is a code needed, and for SMS users text one.</summary>
    /// <param name="userId">Your id for the person.</param>
    /// <param name="deviceToken">The device token of this computer, from an earlier approval with <c>rememberDevice</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>
    /// Retried on 503 (a text that failed is withdrawn by the service, so a repeat texts at most once more); a 429
    /// is an answer (<see cref="VerificationStart.CodeNotSent"/>), not retried.
    /// </remarks>
    [ServiceOperation("StartVerification", "POST", "/api/verifications")]
    Task<VerificationStart> StartVerificationAsync(string userId, string? deviceToken = null, CancellationToken cancellationToken = default);

    /// <summary>Checks what the person typed: the 6-digit code, or an emergency code (which works once).</summary>
    /// <param name="verificationId">From <see cref="StartVerificationAsync"/>.</param>
    /// <param name="userId">The user the verification was started for; another user's verification is not found and counts nothing.</param>
    /// <param name="code">What the person typed.</param>
    /// <param name="rememberDevice">Policy once-per-computer: ask for a device token for this computer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>
    /// Never retried: a repeat of a check the service did decide could count a wrong code twice, or turn an
    /// approval into "already approved". A 503 is thrown for the caller to show.
    /// </remarks>
    [ServiceOperation("CheckVerification", "POST", "/api/verifications/{verificationId}/check")]
    Task<VerificationCheck> CheckVerificationAsync(string verificationId, string userId, string code, bool rememberDevice = false, CancellationToken cancellationToken = default);

    /// <summary>The user's two-factor set-up; an unknown user is not enrolled. Retried on 503 and 429.</summary>
    [ServiceOperation("GetTwoFactorStatus", "GET", "/api/users/{userId}/two-factor")]
    Task<TwoFactorStatus> GetTwoFactorStatusAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Turns two-factor off and destroys its secrets (also for an unknown user). Idempotent, so retried.</summary>
    [ServiceOperation("DisableTwoFactor", "DELETE", "/api/users/{userId}/two-factor")]
    Task DisableTwoFactorAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>New emergency codes, to show once; the old ones stop working.</summary>
    /// <remarks>Retried on 503: a repeat voids any batch the first attempt made, and the codes returned are the ones that work.</remarks>
    /// <exception cref="Serverless2FAProblemException">404 when the user is not enrolled.</exception>
    [ServiceOperation("RenewEmergencyCodes", "POST", "/api/users/{userId}/two-factor/emergency-codes")]
    Task<IReadOnlyList<string>> RenewEmergencyCodesAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Lifts a lock (timed, or until reset) and clears the count of wrong codes. Idempotent, so retried.</summary>
    /// <exception cref="Serverless2FAProblemException">404 when the user is not enrolled.</exception>
    [ServiceOperation("ResetTwoFactorLock", "DELETE", "/api/users/{userId}/two-factor/lock")]
    Task ResetTwoFactorLockAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user's latest two-factor events, newest first. Retried on 503 and 429.</summary>
    [ServiceOperation("GetTwoFactorAudit", "GET", "/api/users/{userId}/two-factor/audit")]
    Task<IReadOnlyList<AuditEntry>> GetTwoFactorAuditAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Forgets every remembered computer of the user. Idempotent, so retried.</summary>
    [ServiceOperation("ForgetDevices", "DELETE", "/api/users/{userId}/devices")]
    Task ForgetDevicesAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Whether storage, secrets and SMS answer; a 503 is a report, not an error, and is never retried.</summary>
    [ServiceOperation("Health", "GET", "/api/health")]
    Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default);
}
