using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollment;

/// <summary>
/// Whether a texted setup link would still open, read without using it up: what a GET of the link shows (link
/// scanners, previews and prefetches GET it too). Only the person's POST exchanges it
/// (<see cref="EnrollmentService.OpenLinkAsync"/>), which decides again with ETags; this answer is advice.
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
        var links = await tables.GetAsync(Tables.Links, cancellationToken).ConfigureAwait(false);
        var link = await links.GetEntityIfExistsAsync<LinkEntity>(Hashes.OfToken(token!), LinkEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!link.HasValue || link.Value!.UsedAt is not null || link.Value.ExpiresAt <= now)
        {
            return false;
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var pending = await users.GetEntityIfExistsAsync<EnrollmentEntity>(link.Value.UserKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pending.HasValue
               && pending.Value!.EnrollmentId == link.Value.EnrollmentId
               && pending.Value.Status == EnrollmentStatus.LinkSent
               && pending.Value.ExpiresAt > now;
    }

    /// <summary>Tokens are base64url (<see cref="Randomness.Token"/>); anything else is not worth a table read.</summary>
    public static bool IsWellFormed(string? token)
        => !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength
           && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
