namespace Serverless2FA.Core.Storage;

/// <summary>A row read or written by its keys alone: for deletes, and for reads that need to know only which rows exist.</summary>
internal sealed class RowKeys : TableRow;
