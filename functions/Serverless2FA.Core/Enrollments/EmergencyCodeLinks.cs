using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Emergency codes of an enrollment by text never travel by text (they would sit in Twilio's logs, with the carrier
/// and on the very phone they stand in for): the bot texts a single-use link <c>{PublicBaseUrl}/c/{token}</c> instead.
/// Its GET only shows a "Show my codes" page, so scanners and previews cannot spend it; the page's same-origin POST
/// uses it up and shows the codes, once. It lives <see cref="EnrollmentOptions.LinkTtl"/>.
/// </summary>
public sealed class EmergencyCodeLinks(
    Tables tables,
    Optimistic optimistic,
    KeyRing keys,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<EnrollmentOptions> options,
    ILogger<EmergencyCodeLinks> logger)
{
    /// <summary>Stores <paramref name="codes"/> (encrypted) behind a new single-use link.</summary>
    /// <returns>The link to text.</returns>
    public async Task<string> CreateAsync(string userKey, string enrollmentId, IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var token = Randomness.Token();
        var partitionKey = Hashes.OfToken(token);
        var link = new CodesLinkEntity
        {
            PartitionKey = partitionKey,
            UserKey = userKey,
            EnrollmentId = enrollmentId,
            CodesCipher = await keys.EncryptAsync(string.Join(' ', codes), Context(partitionKey), cancellationToken).ConfigureAwait(false),
            ExpiresAt = time.GetUtcNow() + options.Value.LinkTtl,
        };
        await optimistic.CommitAsync(new Changes(Tables.Links).Add(link, new Due(ExpiryKinds.Link, link.ExpiresAt)), cancellationToken).ConfigureAwait(false);
        return service.Value.PublicBaseUrl.GetLeftPart(UriPartial.Authority) + "/c/" + token;
    }

    /// <summary>Whether the link would still show the codes; reads only, so a scanner's GET changes nothing.</summary>
    public async Task<bool> IsOpenableAsync(string? token, CancellationToken cancellationToken)
        => SetupLinks.IsWellFormed(token) && IsLive(await FindAsync(token, cancellationToken).ConfigureAwait(false), time.GetUtcNow());

    /// <summary>Uses the link up and answers its codes; of parallel requests with one link, one gets them.</summary>
    public async Task<Result<IReadOnlyList<string>>> RevealAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SetupLinks.IsWellFormed(token))
        {
            return Gone();
        }

        var revealed = await optimistic.ChangeAsync(
            async ct =>
            {
                // Decrypted before the link is used up, so a Key Vault fault leaves it usable.
                var link = await FindAsync(token, ct).ConfigureAwait(false);
                var codes = IsLive(link, time.GetUtcNow())
                    ? await keys.DecryptAsync(link.CodesCipher!, Context(link.PartitionKey), ct).ConfigureAwait(false)
                    : null;
                return (Link: link, Codes: codes);
            },
            (loaded, now) =>
            {
                if (!IsLive(loaded.Link, now) || loaded.Codes is null)
                {
                    return Gone();
                }

                loaded.Link.UsedAt = now;
                loaded.Link.CodesCipher = null;
                return new Decision<IReadOnlyList<string>>(
                    loaded.Codes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    new Changes(Tables.Links).Replace(loaded.Link));
            },
            cancellationToken).ConfigureAwait(false);
        if (revealed.Succeeded)
        {
            logger.LogInformation("{Count} emergency codes shown by their link, which is now used up", revealed.Value.Count);
        }

        return revealed;
    }

    private Task<CodesLinkEntity?> FindAsync(string token, CancellationToken cancellationToken)
        => tables.FindAsync<CodesLinkEntity>(Tables.Links, Hashes.OfToken(token), CodesLinkEntity.Row, cancellationToken);

    private static bool IsLive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] CodesLinkEntity? link, DateTimeOffset now)
        => link is { UsedAt: null, CodesCipher: not null } && link.ExpiresAt > now;

    private static string Context(string partitionKey) => "codes-link|" + partitionKey;

    private static Failure Gone()
        => new(FailureKind.Gone, "This link has expired or was already used: emergency codes are shown only once.");
}
