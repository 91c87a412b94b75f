using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// The send limits besides the per-number one, against SMS-pumping fraud: the allowed-countries list checked again
/// at every send (a number enrolled before the list changed must not be texted), texts per user in a sliding hour,
/// and a budget per country calling code per clock hour (split over a few rows, so it is not one hot row). Counted in storage with ETags, so they hold across instances.
/// </summary>
public sealed class SendLimits(Tables tables, PhoneNumberPolicy phones, TimeProvider time, IOptions<SmsOptions> options)
{
    private const int MaxConflicts = 10;
    private const int CountryShards = 8;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <returns>null when the text may go; else why not.</returns>
    public async Task<Failure?> ReserveAsync(string to, string? userKey, CancellationToken cancellationToken)
    {
        var (region, countryCode) = PhoneNumberPolicy.Describe(to);
        if (!phones.IsAllowed(region))
        {
            return new Failure(FailureKind.Undeliverable, "Text messages to this number's country are not offered. Use an authenticator app.");
        }

        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        if (userKey is not null
            && await ReserveUserAsync(table, userKey, cancellationToken).ConfigureAwait(false) is { } userLimited)
        {
            return userLimited;
        }

        return await ReserveCountryAsync(table, countryCode, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Failure?> ReserveUserAsync(TableClient table, string userKey, CancellationToken cancellationToken)
    {
        var limit = options.Value.PerUserPerHour;
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await table.GetEntityIfExistsAsync<SendCountEntity>(userKey, SendCountEntity.UserRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var entity = existing.HasValue ? existing.Value! : new SendCountEntity { PartitionKey = userKey, RowKey = SendCountEntity.UserRow };
            var recent = entity.RecentSends.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)))
                .Where(s => s > now - Window)
                .ToList();
            if (recent.Count >= limit)
            {
                return new Failure(FailureKind.RateLimited, "Too many texts for this user. Try again later.") { RetryAfter = recent.Min() + Window - now };
            }

            recent.Add(now);
            entity.RecentSends = string.Join(' ', recent.Select(s => s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            if (await TrySaveAsync(table, entity, existing.HasValue, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return Busy();
    }

    /// <summary>
    /// One budget for a whole country would be one hot row every send races for, so it is split over
    /// <see cref="CountryShards"/> rows of an equal share each; a send takes a random shard with room left.
    /// </summary>
    private async Task<Failure?> ReserveCountryAsync(TableClient table, int countryCode, CancellationToken cancellationToken)
    {
        var perShard = (options.Value.PerCountryPerHour + CountryShards - 1) / CountryShards;
        var partition = "cc" + countryCode.ToString(CultureInfo.InvariantCulture);
        var full = new HashSet<int>();
        for (var attempt = 0; attempt < MaxConflicts * 2 && full.Count < CountryShards; attempt++)
        {
            var hour = HourStart(time.GetUtcNow());
            var shard = Enumerable.Range(0, CountryShards).Where(i => !full.Contains(i)).ElementAt(RandomNumberGenerator.GetInt32(CountryShards - full.Count));
            var row = hour.ToString("yyyyMMddHH", CultureInfo.InvariantCulture) + "-" + shard.ToString(CultureInfo.InvariantCulture);
            var existing = await table.GetEntityIfExistsAsync<SendCountEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var entity = existing.HasValue ? existing.Value! : new SendCountEntity { PartitionKey = partition, RowKey = row };
            if (entity.Count >= perShard)
            {
                full.Add(shard);
                continue;
            }

            entity.Count++;
            if (await TrySaveAsync(table, entity, existing.HasValue, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        if (full.Count < CountryShards)
        {
            return Busy();
        }

        var now = time.GetUtcNow();
        return new Failure(FailureKind.RateLimited, "Too many texts to this country right now. Try again later, or use an authenticator app.")
        {
            RetryAfter = HourStart(now) + TimeSpan.FromHours(1) - now,
        };
    }

    private static DateTimeOffset HourStart(DateTimeOffset now) => new(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);

    private static async Task<bool> TrySaveAsync(TableClient table, SendCountEntity entity, bool exists, CancellationToken cancellationToken)
    {
        try
        {
            if (exists)
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Counted by someone else meanwhile: count again from what they wrote.
            return false;
        }
    }

    private static Failure Busy()
        => new(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(5) };
}
