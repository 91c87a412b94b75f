namespace Serverless2FA.Client;

/// <summary>What <c>POST api/enrollments</c> answered: started (two ways), or a step-up is needed or was refused.</summary>
public abstract record EnrollmentStart
{
    private EnrollmentStart()
    {
    }

    /// <summary>202: the setup link was texted to the phone.</summary>
    public sealed record LinkSent(string EnrollmentId, DateTimeOffset ExpiresAt) : EnrollmentStart;

    /// <summary>202 without a phone: the person texts <c>JOIN {JoinCode}</c> to <paramref name="SmsNumber"/>.</summary>
    public sealed record AwaitingText(string EnrollmentId, string JoinCode, string SmsNumber, DateTimeOffset ExpiresAt) : EnrollmentStart;

    /// <summary>
    /// 409 <c>already-enrolled</c>: the user has a factor, and replacing it needs a fresh verification the person
    /// approves, passed as <see cref="StartEnrollmentRequest.StepUp"/>. Nothing was texted.
    /// </summary>
    public sealed record StepUpRequired(Problem Problem) : EnrollmentStart;

    /// <summary>
    /// 403 <c>step-up-invalid</c>: the step-up verification is unknown, another user's, not approved, stale or
    /// already used. Ask for a new code. Nothing was texted.
    /// </summary>
    public sealed record StepUpRejected(Problem Problem) : EnrollmentStart;
}
