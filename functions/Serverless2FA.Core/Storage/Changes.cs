using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Events;

namespace Serverless2FA.Core.Storage;

/// <summary>When a pending row falls due: the expiry index gets an entry of <paramref name="Kind"/> for it.</summary>
internal readonly record struct Due(string Kind, DateTimeOffset At);

/// <summary>
/// What one decision writes to one table: its rows, each guarded by the ETag it was loaded with where it says so,
/// and the expiry-index entries of the pending ones. <see cref="Optimistic"/> commits it: the index entries first
/// (an index entry whose row never came is dropped by the sweep, a row without one would never expire), then the
/// rows, several of them as one partition transaction. Empty changes write nothing. An event a decision reports
/// (<see cref="Emit"/>) is one more row of the same transaction, queued after the commit.
/// </summary>
internal sealed class Changes(string table)
{
    private readonly List<TableTransactionAction> _rows = [];
    private readonly List<(string Kind, string PartitionKey, string RowKey, DateTimeOffset At)> _due = [];
    private readonly List<EventEntity> _events = [];

    public string Table => table;

    public bool IsEmpty => _rows.Count == 0 && _due.Count == 0 && _events.Count == 0;

    internal IReadOnlyList<TableTransactionAction> Rows => _rows;

    internal IReadOnlyList<(string Kind, string PartitionKey, string RowKey, DateTimeOffset At)> DueEntries => _due;

    /// <summary>The outbox rows of the events emitted: the commit writes them (with their index entries) when events are on.</summary>
    internal IReadOnlyList<EventEntity> Events => _events;

    /// <summary>A new row; a conflict if one with its keys exists.</summary>
    public Changes Add(TableRow row, Due? due = null) => Write(TableTransactionActionType.Add, row, default, due);

    /// <summary>The row as loaded, changed: a conflict if it changed (or went) since.</summary>
    public Changes Replace(TableRow row, Due? due = null) => Write(TableTransactionActionType.UpdateReplace, row, row.ETag, due);

    /// <summary>The row as loaded (<see cref="Replace"/>), or, when it was not there to load, a new one (<see cref="Add"/>).</summary>
    public Changes Save(TableRow row, Due? due = null) => row.ETag == default ? Add(row, due) : Replace(row, due);

    /// <summary>The row written whole, whatever is there.</summary>
    public Changes Upsert(TableRow row, Due? due = null) => Write(TableTransactionActionType.UpsertReplace, row, default, due);

    /// <summary>The row as loaded, deleted: a conflict if it changed (or went) since.</summary>
    public Changes Delete(TableRow row) => Write(TableTransactionActionType.Delete, row, row.ETag, null);

    /// <summary>The row deleted, whatever it holds (in a transaction, one already gone is a conflict).</summary>
    public Changes DeleteAny(string partitionKey, string rowKey) => Write(TableTransactionActionType.Delete, new RowKeys { PartitionKey = partitionKey, RowKey = rowKey }, ETag.All, null);

    /// <summary>Writes nothing to the row, but holds the transaction to it: a conflict if it changed since it was loaded.</summary>
    public Changes Unchanged(TableRow row) => Write(TableTransactionActionType.UpdateMerge, new RowKeys { PartitionKey = row.PartitionKey, RowKey = row.RowKey }, row.ETag, null);

    /// <summary>
    /// Sets only <paramref name="columns"/> of a row, leaving its other columns as they are: of an existing row
    /// (a conflict when it is gone), or creating it (<paramref name="create"/>).
    /// </summary>
    public Changes Patch(string partitionKey, string rowKey, IReadOnlyDictionary<string, object?> columns, bool create = false)
    {
        var entity = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in columns)
        {
            entity[name] = value;
        }

        _rows.Add(create
            ? new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, ETag.All));
        return this;
    }

    /// <summary>
    /// Reports <paramref name="draft"/> about the user <paramref name="userKey"/> (whose id <paramref name="userIdCipher"/>
    /// holds encrypted) in this transaction: an outbox row in the user's partition, so the event is written exactly
    /// when the change is. Nothing when the user's id was never stored (a factor enrolled before events existed).
    /// </summary>
    public Changes Emit(string userKey, string? userIdCipher, EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (table != Tables.Users)
        {
            throw new InvalidOperationException($"Events are written to the user's partition of {Tables.Users}, not to {table}.");
        }

        if (userIdCipher is not null)
        {
            _events.Add(EventEntity.Pending(userKey, userIdCipher, draft));
        }

        return this;
    }

    /// <summary>An index entry for a target that is no row of its own (the audit trim of a user's partition).</summary>
    public Changes Schedule(string kind, string partitionKey, string rowKey, DateTimeOffset at)
    {
        _due.Add((kind, partitionKey, rowKey, at));
        return this;
    }

    private Changes Write(TableTransactionActionType type, TableRow row, ETag etag, Due? due)
    {
        if (due is { } d)
        {
            _due.Add((d.Kind, row.PartitionKey, row.RowKey, d.At));
        }

        _rows.Add(new TableTransactionAction(type, row, etag));
        return this;
    }
}
