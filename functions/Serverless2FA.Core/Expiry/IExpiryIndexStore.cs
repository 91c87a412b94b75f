namespace Serverless2FA.Core.Expiry;

/// <summary>
/// The storage operations of the sweep: its cursor, the due range of the index, deleting handled rows,
/// and dropping a whole day of the index once the sweep is past it.
/// </summary>
public interface IExpiryIndexStore
{
    Task<SweepCursor?> ReadCursorAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Moves the cursor to <paramref name="bucket"/> with the ETag of <paramref name="read"/>; if another
    /// sweep moved it meanwhile, keeps whichever is later. The cursor never moves back.
    /// </summary>
    Task AdvanceCursorAsync(SweepCursor? read, string bucket, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The index rows of the buckets after <paramref name="afterBucket"/> through <paramref name="throughBucket"/>,
    /// in key order, page by page (pages may be empty while more follow). Days found to have no index table at
    /// all are added to <paramref name="absentDays"/>, so the sweep need not drop them.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<ExpiryEntry>> ReadAsync(string afterBucket, string throughBucket, ICollection<string> absentDays, CancellationToken cancellationToken);

    /// <summary>Deletes handled rows, each only if unchanged since read (its ETag).</summary>
    Task<IndexDeletion> DeleteAsync(IReadOnlyCollection<ExpiryEntry> entries, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every index row of <paramref name="day"/> ("yyyyMMdd") at once. The caller guarantees the cursor
    /// is past the whole day and the day is settled. False when there was nothing to drop.
    /// </summary>
    Task<bool> DropDayAsync(string day, CancellationToken cancellationToken);
}

/// <param name="Deleted">Rows this call deleted (rows already deleted by another sweep are not counted).</param>
/// <param name="Rewritten">Rows rewritten since they were read: they now describe something not yet handled, so they stay.</param>
public readonly record struct IndexDeletion(int Deleted, IReadOnlyList<ExpiryEntry> Rewritten);
