using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Faults;
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
    Optimistic optimistic,
    TimeProvider time,
    IOptions<SmsOptions> options,
    IOptions<ExpiryOptions> retention,
    ILogger<TextingService> logger)
{
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
                // The text is out: from here on a storage fault is logged, never answered, or the relying app would
                // retry and the person get a second text.
                return result with { Recorded = await RecordSentAsync(result.MessageSid, purpose, target, cancellationToken).ConfigureAwait(false) };
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
    /// <remarks>Only the opt-out columns: the number's recent sends stay as they are.</remarks>
    public Task RecordOptOutAsync(string phoneKey, bool optedOut, CancellationToken cancellationToken)
        => optimistic.CommitAsync(
            new Changes(Tables.Phones).Patch(
                phoneKey,
                PhoneEntity.Row,
                new Dictionary<string, object?>
                {
                    [nameof(PhoneEntity.OptedOut)] = optedOut,
                    [nameof(PhoneEntity.OptedOutAt)] = optedOut ? time.GetUtcNow() : null,
                },
                create: true),
            cancellationToken);

    public async Task<bool> IsOptedOutAsync(string phoneKey, CancellationToken cancellationToken)
        => (await tables.FindAsync<PhoneEntity>(Tables.Phones, phoneKey, PhoneEntity.Row, cancellationToken).ConfigureAwait(false))?.OptedOut == true;

    /// <summary>Every sent text gets a row keyed by its sid, so status callbacks can find what it was for.</summary>
    /// <returns>False when storage failed: the row is lost (and with it only the text's delivery report).</returns>
    private async Task<bool> RecordSentAsync(string? messageSid, string purpose, MessageTarget? target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(messageSid))
        {
            return true;
        }

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
            var due = new Due(ExpiryKinds.Retention, now + retention.Value.DeliveryRecordRetention);
            await optimistic.CommitAsync(new Changes(Tables.Messages).Upsert(row, due), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            // However storage failed (an answer, a timeout, retries run out): the text is out, and losing its row
            // only loses a delivery report, which must not turn a send into a failure.
            logger.LogWarning(ex, "Could not record {MessageSid} for delivery reports", messageSid);
            return false;
        }
    }

    /// <summary>Counts this send against the number's sliding hour, with the phone row's ETag so it holds across instances.</summary>
    private Task<Result<bool>> ReserveAsync(string phoneKey, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => tables.FindAsync<PhoneEntity>(Tables.Phones, phoneKey, PhoneEntity.Row, ct),
            (phone, now) => ReserveNumber(phone ?? new PhoneEntity { PartitionKey = phoneKey }, now, options.Value.PerNumberPerHour),
            cancellationToken,
            busy: new Failure(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(5) });

    internal static Decision<bool> ReserveNumber(PhoneEntity phone, DateTimeOffset now, int limit)
    {
        if (phone.OptedOut)
        {
            return OptedOut();
        }

        var recent = SlidingHour.Parse(phone.RecentSends, now);
        if (recent.WaitUnder(limit, now) is { } wait)
        {
            return new Failure(FailureKind.RateLimited, "Too many texts to this number. Try again later.") { RetryAfter = wait };
        }

        phone.RecentSends = recent.With(now).ToString();
        return new Decision<bool>(true, new Changes(Tables.Phones).Save(phone));
    }

    private static Failure OptedOut()
        => new(FailureKind.OptedOut, "This number replied STOP, so no texts can be sent to it. Text START to the service's number to allow texts again, or use an authenticator app.");
}
