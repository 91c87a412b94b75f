using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>
/// An Azure.Core pipeline policy that records every Table Storage request a client sends (each retry
/// too), so a test or benchmark can count them and find any query that would scan a whole table in Azure.
/// </summary>
public sealed partial class TableRequestLog : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<RecordedTableRequest> _requests = new();

    public IReadOnlyList<RecordedTableRequest> Requests => [.. _requests];

    /// <summary>Entity queries: GETs of a table's rows (not point reads by key).</summary>
    public IReadOnlyList<RecordedTableRequest> Queries => [.. _requests.Where(r => r.IsQuery)];

    public IReadOnlyList<RecordedTableRequest> Unbounded => [.. _requests.Where(r => r.IsQuery && !IsBounded(r.Filter))];

    public void Clear() => _requests.Clear();

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

    /// <summary>
    /// A filter is bounded when it fixes PartitionKey (eq) or encloses it in a range (a lower and an upper
    /// bound), with no "or" that could escape the bound. Anything else reads the whole table in Azure.
    /// </summary>
    public static bool IsBounded(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter) || OrPattern().IsMatch(filter) || NotPattern().IsMatch(filter))
        {
            return false;
        }

        return EqualPattern().IsMatch(filter) || (LowerPattern().IsMatch(filter) && UpperPattern().IsMatch(filter));
    }

    private void Record(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var table = path.TrimStart('/').Split('/').Last();
        // "Table()" lists rows; "Table(PartitionKey='…',RowKey='…')" reads one; "Tables" and "$batch" are not row queries.
        var isQuery = message.Request.Method == RequestMethod.Get && table.EndsWith("()", StringComparison.Ordinal);
        _requests.Enqueue(new RecordedTableRequest(message.Request.Method.Method, path, query["$filter"], isQuery));
    }

    [GeneratedRegex(@"\bor\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrPattern();

    [GeneratedRegex(@"\bnot\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotPattern();

    [GeneratedRegex(@"\bPartitionKey\s+eq\s+'")]
    private static partial Regex EqualPattern();

    [GeneratedRegex(@"\bPartitionKey\s+(gt|ge)\s+'")]
    private static partial Regex LowerPattern();

    [GeneratedRegex(@"\bPartitionKey\s+(lt|le)\s+'")]
    private static partial Regex UpperPattern();
}

public sealed record RecordedTableRequest(string Method, string Path, string? Filter, bool IsQuery);
