using Azure;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>Finds index entries the way the sweep reads them: a bounded PartitionKey range in each due day's table.</summary>
internal static class IndexProbe
{
    /// <summary>Is there an index row <paramref name="rowKey"/> filed under a minute from <paramref name="from"/> to <paramref name="to"/>?</summary>
    public static async Task<bool> ContainsAsync(Tables tables, string rowKey, DateTimeOffset from, DateTimeOffset to)
    {
        var (first, last) = (ExpiryIndex.Bucket(from), ExpiryIndex.Bucket(to));
        var filter = $"PartitionKey ge '{first}' and PartitionKey le '{last}' and RowKey eq '{rowKey}'";
        foreach (var day in ExpiryBuckets.Days(ExpiryBuckets.Previous(first), last))
        {
            try
            {
                if (await tables.ClientOf(Tables.ExpiryDay(day)).QueryAsync<ExpiryRow>(filter).AnyAsync())
                {
                    return true;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // No table for that day: nothing is due then.
            }
        }

        return false;
    }

    public static async Task<bool> TableExistsAsync(Tables tables, string table)
    {
        var name = tables.NameOf(table);
        return await tables.Service.QueryAsync(t => t.Name == name).AnyAsync();
    }
}
