namespace Serverless2FA.Client;

/// <summary>The body of <c>POST api/enrollments</c>.</summary>
/// <param name="UserId">Your id for the person: 1-128 characters from <c>A-Z a-z 0-9 . _ ~ @ + -</c>.</param>
public sealed record StartEnrollmentRequest(string UserId)
{
    /// <summary>The phone to text the setup link to, in any common format; without it the person starts by texting JOIN and a code.</summary>
    public string? Phone { get; init; }

    /// <summary>Fixes the policy; the setup page then offers no choice.</summary>
    public TwoFactorPolicy? Policy { get; init; }

    /// <summary>The language of the texts, e.g. <c>es-MX</c>.</summary>
    public string? Locale { get; init; }

    /// <summary>
    /// For a user who is already enrolled (a new phone, a new method): the id of a verification of this user that
    /// they approved within <c>Enrollment:StepUpTtl</c> (10 minutes) and that was not used for a step-up before.
    /// </summary>
    public string? StepUp { get; init; }
}
