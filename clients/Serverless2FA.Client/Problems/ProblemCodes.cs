namespace Serverless2FA.Client;

/// <summary>The service's problem kinds (<see cref="Problem.Code"/>), as API.md and openapi.yaml name them.</summary>
public static class ProblemCodes
{
    /// <summary>400: the request is not valid; <see cref="Problem.Errors"/> names the fields.</summary>
    public const string Invalid = "invalid";

    /// <summary>404: no such user, enrollment or verification (or another user's).</summary>
    public const string NotFound = "not-found";

    /// <summary>409: not possible in the current state.</summary>
    public const string Conflict = "conflict";

    /// <summary>409: the number replied STOP; no texts until it texts START.</summary>
    public const string OptedOut = "opted-out";

    /// <summary>409: replacing a factor of an enrolled user needs <c>stepUp</c>.</summary>
    public const string AlreadyEnrolled = "already-enrolled";

    /// <summary>403: the <c>stepUp</c> verification is unknown, another user's, not approved, stale or already used.</summary>
    public const string StepUpInvalid = "step-up-invalid";

    /// <summary>409: the relying app fixed the policy when it started the enrollment.</summary>
    public const string PolicyFixed = "policy-fixed";

    /// <summary>410: expired or used (a link, a code, a verification).</summary>
    public const string Gone = "gone";

    /// <summary>422: the number cannot receive texts.</summary>
    public const string Undeliverable = "undeliverable";

    /// <summary>423: too many wrong codes.</summary>
    public const string Locked = "locked";

    /// <summary>429: a sending limit or a cooldown; see <see cref="Problem.RetryAfter"/>.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>429: enrollment texts to this block of numbers look like SMS pumping.</summary>
    public const string SuspectedPumping = "suspected-pumping";

    /// <summary>503: a dependency is failing; see <see cref="Problem.RetryAfter"/>.</summary>
    public const string Unavailable = "unavailable";
}
