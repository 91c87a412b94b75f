using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// The one way the service texts a person: refuses numbers that opted out, enforces the per-number
/// sliding-window limit in storage (so it holds across instances), then sends.
/// </summary>
public sealed class TextingService(
    ISmsSender sender,
    SendLimits limits,
    Tables tables,
    ExpiryIndex expiry,
    TimeProvider time,
    IOptions<SmsOptions> options,
    IOptions<ExpiryOptions> retention,
    ILogger<TextingService> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>"twilio" or "outbox".</summary>
    public string Mode => sender.Mode;

    /// <param name="phoneKey">The HMAC of <paramref name="to"/>, the key of its <see cref="PhoneEntity"/>.</param>
    public Task<Result<SmsSendResult>> SendAsync(string to, string phoneKey, string body, string purpose, CancellationToken cancellationToken)
        => SendAsync(to, phoneKey, userKey: null, body, purpose, target: null, cancellationToken);

    /// <param name="phoneKey">The HMAC of <paramref name="to"/>, the key of its <see cref="PhoneEntity"/>.</param>
    /// <param name="userKey">The user the text is for, counted against the per-user limit; null when there is none yet.</param>
    /// <param name="target">What the text is for; Twilio's delivery report for it is dispatched there.</param>
    public async Task<Result<SmsSendResult>> SendAsync(string to, string phoneKey, string? userKey, string body, string purpose, MessageTarget? target, CancellationToken cancellationToken)
    {
        var reserved = await ReserveAsync(phoneKey, cancellationToken).ConfigureAwait(false);
        if (reserved.Succeeded && await limits.ReserveAsync(to, userKey, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            reserved = limited;
        }

        if (!reserved.Succeeded)
        {
            logger.LogWarning("Not texting {Phone} ({Purpose}): {Reason}", PhoneMask.Mask(to), purpose, reserved.Failure.Kind);
            return reserved.Failure;
        }

        var result = await sender.SendAsync(new SmsMessage(to, body, purpose), cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case SmsSendStatus.Sent:
                logger.LogInformation("Texted {Phone} ({Purpose}) as {MessageSid}", PhoneMask.Mask(to), purpose, result.MessageSid);
                await RecordSentAsync(result.MessageSid, purpose, target, cancellationToken).ConfigureAwait(false);
                return result;
            case SmsSendStatus.OptedOut:
                await RecordOptOutAsync(phoneKey, optedOut: true, cancellationToken).ConfigureAwait(false);
                return OptedOut();
            case SmsSendStatus.InvalidNumber:
                return new Failure(FailureKind.Undeliverable, "That number cannot receive text messages. Check it, or use an authenticator app.");
            default:
                return new Failure(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(60) };
        }
    }

    /// <summary>Records STOP (and Twilio's other opt-out words) or START for a number.</summary>
    public async Task RecordOptOutAsync(string phoneKey, bool optedOut, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(phoneKey, PhoneEntity.Row)
        {
            [nameof(PhoneEntity.OptedOut)] = optedOut,
            [nameof(PhoneEntity.OptedOutAt)] = optedOut ? time.GetUtcNow() : null,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsOptedOutAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        var existing = await table.GetEntityIfExistsAsync<PhoneEntity>(phoneKey, PhoneEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return existing.HasValue && existing.Value!.OptedOut;
    }

    /// <summary>Every sent text gets a row keyed by its sid, so status callbacks can find what it was for.</summary>
    private async Task RecordSentAsync(string? messageSid, string purpose, MessageTarget? target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(messageSid))
        {
            return;
        }

        var table = await tables.GetAsync(Tables.Messages, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var row = new MessageEntity
        {
            PartitionKey = messageSid,
            RowKey = MessageEntity.Outbound,
            Purpose = purpose,
            At = now,
            TargetKind = target?.Kind,
            TargetPartitionKey = target?.PartitionKey,
            TargetRowKey = target?.RowKey,
            TargetId = target?.Id,
        };
        try
        {
            // Kept for delivery reports only as long as Expiry:DeliveryRecordRetention says; the sweep deletes it then.
            await expiry.AddAsync(ExpiryKinds.Retention, Tables.Messages, messageSid, MessageEntity.Outbound, now + retention.Value.DeliveryRecordRetention, cancellationToken).ConfigureAwait(false);
            await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // The text is out; losing its row only loses a delivery report, which must not turn a send into a failure.
            logger.LogWarning(ex, "Could not record {MessageSid} for delivery reports", messageSid);
        }
    }

    private async Task<Result<bool>> ReserveAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        var limit = options.Value.PerNumberPerHour;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await table.GetEntityIfExistsAsync<PhoneEntity>(phoneKey, PhoneEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var phone = existing.HasValue ? existing.Value! : new PhoneEntity { PartitionKey = phoneKey };
            if (phone.OptedOut)
            {
                return OptedOut();
            }

            var recent = ParseSends(phone.RecentSends).Where(s => s > now - Window).ToList();
            if (recent.Count >= limit)
            {
                var retryAfter = recent.Min() + Window - now;
                return new Failure(FailureKind.RateLimited, "Too many texts to this number. Try again later.") { RetryAfter = retryAfter };
            }

            recent.Add(now);
            phone.RecentSends = string.Join(' ', recent.Select(s => s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(phone, phone.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(phone, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another instance texted this number meanwhile: count again from what it wrote.
            }
        }

        return new Failure(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(5) };
    }

    private static IEnumerable<DateTimeOffset> ParseSends(string value)
        => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)));

    private static Failure OptedOut()
        => new(FailureKind.OptedOut, "This number replied STOP, so no texts can be sent to it. Text START to the service's number to allow texts again, or use an authenticator app.");
}
