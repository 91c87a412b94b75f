namespace Serverless2FA.Core.Results;

/// <summary>What kind of "no" an operation answered; the HTTP layer maps each to one status code.</summary>
public enum FailureKind
{
    /// <summary>The input is malformed; <see cref="Failure.Errors"/> names the fields.</summary>
    Invalid,
    NotFound,
    /// <summary>It existed but is used up or past its time (a link, a code, a verification).</summary>
    Gone,
    /// <summary>Not possible in the current state (for example completing before verifying).</summary>
    Conflict,
    /// <summary>The code was wrong; <see cref="Failure.AttemptsLeft"/> says how many tries remain.</summary>
    WrongCode,
    Locked,
    RateLimited,
    /// <summary>Enrollment texts to this block of numbers look like SMS pumping (few of them lead to an enrollment).</summary>
    SuspectedPumping,
    /// <summary>No valid setup session.</summary>
    Unauthorized,
    /// <summary>A proof that was presented does not hold (a step-up that is unknown, stale or used).</summary>
    Forbidden,
    /// <summary>The number opted out of texts (STOP).</summary>
    OptedOut,
    /// <summary>The number cannot receive texts.</summary>
    Undeliverable,
    /// <summary>A dependency (Twilio, storage) is failing; try again later.</summary>
    Unavailable,
}

/// <param name="Detail">A sentence a person can act on; never holds a code, token or full phone number.</param>
public sealed record Failure(FailureKind Kind, string Detail)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public int? AttemptsLeft { get; init; }

    /// <summary>
    /// The problem's short name when it is more precise than its kind (<c>already-enrolled</c>, <c>step-up-invalid</c>,
    /// <c>policy-fixed</c>); the problem <c>type</c> ends with it. Null: the kind names it.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>Further members of the problem (RFC 9457 extensions), camelCase names.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Failure Invalid(string field, string message)
        => new(FailureKind.Invalid, message) { Errors = new Dictionary<string, string[]> { [field] = [message] } };
}
