using System.Globalization;
using System.Security.Cryptography;
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
public sealed class SendLimits(Tables tables, Optimistic optimistic, PhoneNumberPolicy phones, TimeProvider time, IOptions<SmsOptions> options)
{
    private const int CountryShards = 8;

    /// <returns>null when the text may go; else why not.</returns>
    public async Task<Failure?> ReserveAsync(string to, string? userKey, CancellationToken cancellationToken)
    {
        var (region, countryCode) = PhoneNumberPolicy.Describe(to);
        if (!phones.IsAllowed(region))
        {
            return new Failure(FailureKind.Undeliverable, "Text messages to this number's country are not offered. Use an authenticator app.");
        }

        if (userKey is not null
            && await ReserveUserAsync(userKey, cancellationToken).ConfigureAwait(false) is { } userLimited)
        {
            return userLimited;
        }

        return await ReserveCountryAsync(countryCode, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Failure?> ReserveUserAsync(string userKey, CancellationToken cancellationToken)
    {
        var limit = options.Value.PerUserPerHour;
        var reserved = await optimistic.ChangeAsync(
            ct => tables.FindAsync<SendCountEntity>(Tables.Phones, userKey, SendCountEntity.UserRow, ct),
            (row, now) =>
            {
                var user = row ?? new SendCountEntity { PartitionKey = userKey, RowKey = SendCountEntity.UserRow };
                var recent = SlidingHour.Parse(user.RecentSends, now);
                if (recent.WaitUnder(limit, now) is { } wait)
                {
                    return new Failure(FailureKind.RateLimited, "Too many texts for this user. Try again later.") { RetryAfter = wait };
                }

                user.RecentSends = recent.With(now).ToString();
                return new Decision<bool>(true, new Changes(Tables.Phones).Save(user));
            },
            cancellationToken,
            Busy()).ConfigureAwait(false);
        return reserved.Failure;
    }

    /// <summary>
    /// One budget for a whole country would be one hot row every send races for, so it is split over
    /// <see cref="CountryShards"/> rows of an equal share each; a send takes a random shard with room left (a
    /// different one after a conflict, too), and is refused only when every shard of the hour is full.
    /// </summary>
    private async Task<Failure?> ReserveCountryAsync(int countryCode, CancellationToken cancellationToken)
    {
        var perShard = (options.Value.PerCountryPerHour + CountryShards - 1) / CountryShards;
        var partition = "cc" + countryCode.ToString(CultureInfo.InvariantCulture);
        var full = new HashSet<int>();
        while (full.Count < CountryShards)
        {
            var taken = await optimistic.ChangeAsync(
                async ct =>
                {
                    var shard = Enumerable.Range(0, CountryShards).Where(i => !full.Contains(i)).ElementAt(RandomNumberGenerator.GetInt32(CountryShards - full.Count));
                    var row = HourStart(time.GetUtcNow()).ToString("yyyyMMddHH", CultureInfo.InvariantCulture) + "-" + shard.ToString(CultureInfo.InvariantCulture);
                    var found = await tables.FindAsync<SendCountEntity>(Tables.Phones, partition, row, ct).ConfigureAwait(false);
                    return (Shard: shard, Count: found ?? new SendCountEntity { PartitionKey = partition, RowKey = row });
                },
                (loaded, _) =>
                {
                    if (loaded.Count.Count >= perShard)
                    {
                        return new Decision<Shard>(new Shard(loaded.Shard, Full: true));
                    }

                    loaded.Count.Count++;
                    return new Decision<Shard>(new Shard(loaded.Shard, Full: false), new Changes(Tables.Phones).Save(loaded.Count));
                },
                cancellationToken,
                Busy()).ConfigureAwait(false);
            if (!taken.Succeeded)
            {
                return taken.Failure;
            }

            if (!taken.Value.Full)
            {
                return null;
            }

            full.Add(taken.Value.Index);
        }

        var now = time.GetUtcNow();
        return new Failure(FailureKind.RateLimited, "Too many texts to this country right now. Try again later, or use an authenticator app.")
        {
            RetryAfter = HourStart(now) + TimeSpan.FromHours(1) - now,
        };
    }

    private static DateTimeOffset HourStart(DateTimeOffset now) => new(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);

    private static Failure Busy()
        => new(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(5) };

    private readonly record struct Shard(int Index, bool Full);
}
