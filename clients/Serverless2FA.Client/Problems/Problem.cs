using System.Text.Json;

namespace Serverless2FA.Client;

/// <summary>
/// An RFC 9457 problem the service answered with: <c>type</c>, <c>status</c>, <c>title</c>, <c>detail</c> (a sentence
/// a person can act on), <c>errors</c> per field, and any extension members (<c>attemptsLeft</c>,
/// <c>verificationId</c>, …), with the answer's <c>Retry-After</c>.
/// </summary>
public sealed record Problem
{
    /// <summary>The prefix of the service's problem <c>type</c> URIs; <see cref="Code"/> is what follows it.</summary>
    public const string TypePrefix = "urn:serverless2fa:problem:";

    /// <summary>The problem type URI, e.g. <c>urn:serverless2fa:problem:locked</c>; <c>about:blank</c> when none was sent.</summary>
    public required string Type { get; init; }

    /// <summary>The HTTP status code.</summary>
    public required int Status { get; init; }

    /// <summary>A short summary of the kind of problem.</summary>
    public string? Title { get; init; }

    /// <summary>What happened and what to do, in words a person can act on.</summary>
    public string? Detail { get; init; }

    /// <summary>Messages per request field (<c>phone</c>, <c>userId</c>, <c>code</c>, …); empty when none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Every other member of the problem object, as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The answer's <c>Retry-After</c>, when it had one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The short name of <see cref="Type"/> (<c>locked</c>, <c>already-enrolled</c>, <c>step-up-invalid</c>, …; see
    /// <see cref="ProblemCodes"/>): the part after <see cref="TypePrefix"/>, or the whole type when it has another form.
    /// </summary>
    public string Code => Type.StartsWith(TypePrefix, StringComparison.Ordinal) ? Type[TypePrefix.Length..] : Type;

    /// <summary>The <c>verificationId</c> extension: the verification that stands although its code was not texted.</summary>
    public string? VerificationId => Extension("verificationId") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    /// <summary>The <c>expiresAt</c> extension: when the verification named by <see cref="VerificationId"/> ends.</summary>
    public DateTimeOffset? ExpiresAt => Extension("expiresAt") is { ValueKind: JsonValueKind.String } at && at.TryGetDateTimeOffset(out var when) ? when : null;

    /// <summary>The <c>attemptsLeft</c> extension.</summary>
    public int? AttemptsLeft => Extension("attemptsLeft") is { ValueKind: JsonValueKind.Number } left && left.TryGetInt32(out var n) ? n : null;

    /// <summary>True when this problem is of the kind <paramref name="code"/> (a <see cref="ProblemCodes"/> value).</summary>
    public bool Is(string code) => string.Equals(Code, code, StringComparison.Ordinal);

    /// <summary>An extension member by name, or null.</summary>
    public JsonElement? Extension(string name) => Extensions.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Code}: {Detail ?? Title}";
}
