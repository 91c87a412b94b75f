using System.Buffers;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// The relying app's id for a person: 1-128 characters from <c>A-Z a-z 0-9 . _ ~ @ + -</c>, the same rule in
/// bodies and routes, so an id that is accepted can always be managed through <c>api/users/{userId}/…</c>.
/// </summary>
public static class UserIds
{
    public const int MaxLength = 128;

    /// <summary>The characters a user id may hold, as the openapi.yaml pattern and README state them.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~@+-";

    private static readonly SearchValues<char> Allowed = SearchValues.Create(Alphabet);

    /// <returns>null when the relying app's user id is acceptable, else the failure to answer.</returns>
    public static Failure? Validate(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return Failure.Invalid("userId", "userId is required: the relying app's id for the person.");
        }

        if (userId.Length > MaxLength || userId.AsSpan().ContainsAnyExcept(Allowed))
        {
            return Failure.Invalid("userId", $"userId must be 1-{MaxLength} characters from A-Z a-z 0-9 . _ ~ @ + - (so it survives a URL path unchanged).");
        }

        // "." and ".." are dot-segments: clients and servers remove them from a path, so api/users/../two-factor
        // could never reach that user.
        if (userId is "." or "..")
        {
            return Failure.Invalid("userId", "userId cannot be \".\" or \"..\": a URL path cannot carry them as a segment.");
        }

        return null;
    }
}
