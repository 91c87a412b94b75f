using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>
/// Counts the HTTP round trips a <c>TableServiceClient</c> makes (a transaction is one), per call, before retries,
/// in total and by kind ("insert Messages", "query Phones", ...) so a floor can be checked to make the same ones.
/// </summary>
internal sealed class TableOpCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private long _count;

    /// <param name="tablePrefix">Stripped from table names so the kinds of two prefixes compare equal.</param>
    public TableOpCounter(string tablePrefix = "") => TablePrefix = tablePrefix;

    public string TablePrefix { get; }

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Round trips by kind since the last <see cref="Reset"/>.</summary>
    public IReadOnlyDictionary<string, long> Kinds => new SortedDictionary<string, long>(_kinds, StringComparer.Ordinal);

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _kinds.Clear();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        _kinds.AddOrUpdate(KindOf(message.Request), 1, (_, n) => n + 1);
    }

    /// <summary>The operation a Table REST request is, from its method and path (the last segment names the table).</summary>
    private string KindOf(Request request)
    {
        var path = Uri.UnescapeDataString(request.Uri.Path).TrimEnd('/');
        var last = path[(path.LastIndexOf('/') + 1)..];
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? last : last[..paren];
        var keyed = paren >= 0 && last.Contains("PartitionKey", StringComparison.Ordinal);
        if (table.StartsWith(TablePrefix, StringComparison.Ordinal))
        {
            table = table[TablePrefix.Length..];
        }

        var kind = request.Method.Method switch
        {
            "GET" => keyed ? "read" : "query",
            "POST" => table is "$batch" ? "transaction" : "insert",
            "PUT" => request.Headers.TryGetValue("If-Match", out _) ? "replace" : "upsert-replace",
            "MERGE" or "PATCH" => request.Headers.TryGetValue("If-Match", out _) ? "merge" : "upsert-merge",
            "DELETE" => "delete",
            var other => other,
        };
        return kind + " " + table;
    }
}
