using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Wrong JOIN codes per sending number, a sliding hour in storage (table Phones, row "join-tries"), so guessing
/// join codes from one phone stops after a few tries on every instance.
/// </summary>
public sealed class JoinAttempts(Tables tables, TimeProvider time)
{
    public const string Row = "join-tries";
    public const int MaxPerHour = 5;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <returns>How long to wait before the next try, or null when a try is allowed now.</returns>
    public async Task<TimeSpan?> WaitAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(phoneKey, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var recent = found.HasValue ? Recent(found.Value!, now) : [];
        return recent.Count >= MaxPerHour ? recent.Min() + Window - now : null;
    }

    public async Task RecordFailureAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            var found = await table.GetEntityIfExistsAsync<TableEntity>(phoneKey, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var recent = found.HasValue ? Recent(found.Value!, now) : [];
            recent.Add(now);
            var entity = new TableEntity(phoneKey, Row) { ["Tries"] = string.Join(' ', recent.Select(t => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))) };
            try
            {
                if (found.HasValue)
                {
                    await table.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Parallel wrong guesses each count: read what the other wrote and add to it.
            }
        }
    }

    private static List<DateTimeOffset> Recent(TableEntity entity, DateTimeOffset now)
        => (entity.GetString("Tries") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)))
            .Where(t => t > now - Window)
            .ToList();
}
