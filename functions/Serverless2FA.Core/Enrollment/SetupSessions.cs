using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollment;

/// <summary>
/// Finds the enrollment behind a setup session cookie and applies changes to it with its ETag, so
/// racing requests (two verifies with one code, a verify against the sweep) each win or lose cleanly.
/// </summary>
public sealed class SetupSessions(Tables tables, TimeProvider time)
{
    private const int MaxConflicts = 8;

    /// <summary>The decision of one change: the answer, and whether the entity must be saved for it to hold.</summary>
    public readonly record struct Change<T>(Result<T> Result, bool Save);

    public async Task<Result<EnrollmentEntity>> LoadAsync(SetupTarget target, CancellationToken cancellationToken)
    {
        var (entity, failure) = await FindAsync(target, cancellationToken).ConfigureAwait(false);
        return failure is null ? entity! : failure;
    }

    /// <summary>Reads the session's enrollment, lets <paramref name="decide"/> change it, and saves it with its ETag, retrying on conflict.</summary>
    public async Task<Result<T>> ChangeAsync<T>(SetupTarget target, Func<EnrollmentEntity, DateTimeOffset, Task<Change<T>>> decide, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var (entity, failure) = await FindAsync(target, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            var change = await decide(entity!, time.GetUtcNow()).ConfigureAwait(false);
            if (!change.Save)
            {
                return change.Result;
            }

            try
            {
                await users.UpdateEntityAsync(entity!, entity!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return change.Result;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Someone changed it first: decide again on what they wrote.
            }
        }

        return new Failure(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    public static Failure Ended()
        => new(FailureKind.Unauthorized, "Your setup session has ended. Open the link in your text message again, or ask the app to text you a new one.");

    private async Task<(EnrollmentEntity? Entity, Failure? Failure)> FindAsync(SetupTarget target, CancellationToken cancellationToken)
    {
        var userKey = target.UserKey;
        var secret = string.Empty;
        if (target.IsSession && !TryParse(target.Cookie, out userKey, out secret))
        {
            return (null, Ended());
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var found = await users.GetEntityIfExistsAsync<EnrollmentEntity>(userKey!, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return (null, Ended());
        }

        var entity = found.Value!;
        // A session proves itself with its secret; the bot names the enrollment it found by the sending phone.
        var ours = target.IsSession ? Hashes.Equal(entity.SessionHash, Hashes.OfToken(secret)) : entity.EnrollmentId == target.EnrollmentId;
        if (!ours || EnrollmentStatus.IsFinal(entity.Status))
        {
            return (null, Ended());
        }

        if (entity.ExpiresAt <= time.GetUtcNow())
        {
            return (null, new Failure(FailureKind.Gone, "This setup took too long and has expired. Ask the app to text you a new link."));
        }

        return (entity, null);
    }

    private static bool TryParse(string? cookie, out string? userKey, out string secret)
    {
        userKey = secret = string.Empty;
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 200)
        {
            return false;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 1 || dot == cookie.Length - 1 || cookie[0] != 'u')
        {
            return false;
        }

        userKey = cookie[..dot];
        secret = cookie[(dot + 1)..];
        return userKey.All(char.IsAsciiLetterOrDigit);
    }
}
