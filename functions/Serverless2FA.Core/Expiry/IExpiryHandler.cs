namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Expires one kind of pending thing (link, enrollment, verification, join code, ...) when the sweep
/// reaches its index row. Register one per kind; the sweep dispatches on <see cref="ExpiryEntry.Kind"/>.
/// </summary>
public interface IExpiryHandler
{
    /// <summary>The <see cref="ExpiryEntry.Kind"/> this handler owns.</summary>
    string Kind { get; }

    /// <summary>
    /// Re-reads the target and, if it is still pending and due at <paramref name="now"/>, marks it
    /// expired or deletes it with its ETag and destroys its secrets. Must be idempotent: two sweeps
    /// may meet the same entry, and a verify may race it.
    /// </summary>
    Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken);
}

public enum ExpiryOutcome
{
    /// <summary>It was pending and due, and is now expired (or deleted).</summary>
    Expired,

    /// <summary>It was finished, already expired, replaced, or no longer exists: nothing to do.</summary>
    Gone,

    /// <summary>Its lifetime was extended; a later index row covers it.</summary>
    NotDue,
}
