namespace Serverless2FA.Client;

/// <summary>What <c>POST api/verifications</c> answered at log-in.</summary>
public abstract record VerificationStart
{
    private VerificationStart()
    {
    }

    /// <summary>Ask for a code; for <see cref="TwoFactorMethod.Sms"/> one was just texted.</summary>
    public sealed record Required(string VerificationId, TwoFactorMethod Method, DateTimeOffset ExpiresAt) : VerificationStart;

    /// <summary>Once per computer, and this is a remembered one: let the person in.</summary>
    public sealed record NotRequired(string VerificationId, TwoFactorMethod Method) : VerificationStart;

    /// <summary>
    /// No code was texted now: a code was texted moments ago (429, still pending), or the number opted out (409),
    /// cannot receive texts (422), hit a sending limit (429) or Twilio is down (503). When
    /// <paramref name="VerificationId"/> is set the verification stands: check the earlier code, or an emergency
    /// code, against it, until <see cref="ExpiresAt"/>. <paramref name="Problem"/> says why, in words for the person.
    /// </summary>
    public sealed record CodeNotSent(string? VerificationId, Problem Problem) : VerificationStart
    {
        /// <summary>When the standing verification ends (with <see cref="VerificationId"/>; null when none stands).</summary>
        public DateTimeOffset? ExpiresAt => VerificationId is null ? null : Problem.ExpiresAt;
    }

    /// <summary>423: too many wrong codes. <paramref name="RetryAfter"/> is when a timed lock ends; null when it lasts until reset.</summary>
    public sealed record Locked(TimeSpan? RetryAfter, Problem Problem) : VerificationStart;

    /// <summary>404: the user has not turned two-factor on.</summary>
    public sealed record NotEnrolled(Problem Problem) : VerificationStart;
}
