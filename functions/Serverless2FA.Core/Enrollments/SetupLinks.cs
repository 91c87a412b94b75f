using System.Diagnostics.CodeAnalysis;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Whether a texted setup link would still open, read without using it up: what a GET of the link shows (link
/// scanners, previews and prefetches GET it too). Only the person's POST exchanges it
/// (<see cref="EnrollmentService.OpenLinkAsync"/>), which applies the same rules to rows it commits with ETags;
/// this answer is advice.
/// </summary>
public sealed class SetupLinks(Tables tables, TimeProvider time)
{
    public const int MaxTokenLength = 64;

    public async Task<bool> IsOpenableAsync(string? token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var link = await tables.FindLinkAsync(token, cancellationToken).ConfigureAwait(false);
        if (!IsLive(link, now))
        {
            return false;
        }

        var enrollment = await tables.FindEnrollmentAsync(link.UserKey, cancellationToken).ConfigureAwait(false);
        return Opens(link, enrollment, now);
    }

    /// <summary>Tokens are base64url (<see cref="Randomness.Token"/>); anything else is not worth a table read.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? token)
        => !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength
           && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The link exists, is unused and its time is not up.</summary>
    internal static bool IsLive([NotNullWhen(true)] LinkEntity? link, DateTimeOffset now)
        => link is { UsedAt: null } && link.ExpiresAt > now;

    /// <summary>The enrollment the link was texted for is still the user's, still live, and may be opened.</summary>
    internal static bool Opens(LinkEntity link, [NotNullWhen(true)] Enrollment? enrollment, DateTimeOffset now)
        => enrollment is not null
           && enrollment.Id == link.EnrollmentId
           && enrollment.ExpiresAt > now
           && EnrollmentRules.Next(enrollment.Status, EnrollmentMove.Open) is not null;
}
