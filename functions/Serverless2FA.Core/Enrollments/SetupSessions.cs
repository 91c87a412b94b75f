using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Finds the enrollment behind a setup step's target (a setup session cookie, or the bot's enrollment) and moves it
/// through the storage seam, so racing requests (two verifies with one code, a verify against the sweep) each win or
/// lose cleanly: a move is decided on the enrollment as loaded and saved only if nobody saved it since.
/// </summary>
public sealed class SetupSessions(Tables tables, Optimistic optimistic, TimeProvider time)
{
    /// <summary>The target's enrollment while it is live; else why not (the session ended, or the setup expired).</summary>
    public async Task<Result<Enrollment>> LoadAsync(SetupTarget target, CancellationToken cancellationToken)
        => Check(target, await FindAsync(target, cancellationToken).ConfigureAwait(false), time.GetUtcNow());

    /// <summary>Decides with <paramref name="decide"/> on the target's live enrollment; what it changes is committed with the enrollment's ETag.</summary>
    internal Task<Result<T>> ChangeAsync<T>(SetupTarget target, Func<Enrollment, DateTimeOffset, Decision<T>> decide, CancellationToken cancellationToken)
        => ChangeAsync(target, (_, _) => Task.FromResult(true), (e, _, now) => decide(e, now), cancellationToken);

    /// <summary>
    /// As <see cref="ChangeAsync{T}(SetupTarget, Func{Enrollment, DateTimeOffset, Decision{T}}, CancellationToken)"/>, loading more
    /// with the enrollment in hand first (rows of its user, a code checked against it), each time it is loaded.
    /// </summary>
    internal Task<Result<T>> ChangeAsync<TMore, T>(
        SetupTarget target,
        Func<Enrollment, CancellationToken, Task<TMore>> loadMore,
        Func<Enrollment, TMore, DateTimeOffset, Decision<T>> decide,
        CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            async ct =>
            {
                var found = Check(target, await FindAsync(target, ct).ConfigureAwait(false), time.GetUtcNow());
                return (Found: found, More: found.Succeeded ? await loadMore(found.Value, ct).ConfigureAwait(false) : default);
            },
            (loaded, now) => loaded.Found.Succeeded ? decide(loaded.Found.Value, loaded.More!, now) : loaded.Found.Failure,
            cancellationToken);

    /// <summary>
    /// Moves the user's enrollment with <paramref name="move"/> if it is still <paramref name="enrollmentId"/>, whatever
    /// its time; a newer enrollment in its place, or a move it refuses, leaves it as it is.
    /// </summary>
    /// <param name="report">The event the move reports, decided on the enrollment before it moves; null for none.</param>
    /// <returns>Whether it moved.</returns>
    internal Task<Result<bool>> MoveAsync(
        string userKey,
        string enrollmentId,
        Func<Enrollment, Failure?> move,
        CancellationToken cancellationToken,
        Func<Enrollment, DateTimeOffset, EventDraft?>? report = null)
        => optimistic.ChangeAsync(
            ct => tables.FindEnrollmentAsync(userKey, ct),
            (e, now) =>
            {
                var draft = e is null || e.Id != enrollmentId ? null : report?.Invoke(e, now);
                if (e is null || e.Id != enrollmentId || move(e) is not null)
                {
                    return new Decision<bool>(false);
                }

                var changes = new Changes(Tables.Users).Save(e);
                return new Decision<bool>(true, draft is null ? changes : changes.Emit(e.UserKey, e.UserIdCipher, draft));
            },
            cancellationToken);

    /// <summary>The answer, and the enrollment saved for it to hold.</summary>
    internal static Decision<T> Save<T>(Result<T> answer, Enrollment enrollment) => new(answer, new Changes(Tables.Users).Save(enrollment));

    public static Failure Ended()
        => new(FailureKind.Unauthorized, "Your setup session has ended. Open the link in your text message again, or ask the app to text you a new one.");

    private Task<Enrollment?> FindAsync(SetupTarget target, CancellationToken cancellationToken)
    {
        var userKey = target.IsSession ? UserKeyOf(target.Cookie) : target.UserKey;
        return userKey is null ? Task.FromResult<Enrollment?>(null) : tables.FindEnrollmentAsync(userKey, cancellationToken);
    }

    private static Result<Enrollment> Check(SetupTarget target, Enrollment? enrollment, DateTimeOffset now)
    {
        if (enrollment is null)
        {
            return Ended();
        }

        // A session proves itself with its secret; the bot names the enrollment it found by the sending phone.
        var ours = target.IsSession ? Hashes.Equal(enrollment.SessionHash, Hashes.OfToken(SecretOf(target.Cookie!))) : enrollment.Id == target.EnrollmentId;
        if (!ours || enrollment.Status.IsFinal())
        {
            return Ended();
        }

        if (enrollment.ExpiresAt <= now)
        {
            return new Failure(FailureKind.Gone, "This setup took too long and has expired. Ask the app to text you a new link.");
        }

        return enrollment;
    }

    /// <summary>The cookie is "{user key}.{secret}"; null when it cannot be one.</summary>
    private static string? UserKeyOf(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 200)
        {
            return null;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 1 || dot == cookie.Length - 1 || cookie[0] != 'u')
        {
            return null;
        }

        var userKey = cookie[..dot];
        return userKey.All(char.IsAsciiLetterOrDigit) ? userKey : null;
    }

    private static string SecretOf(string cookie) => cookie[(cookie.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
