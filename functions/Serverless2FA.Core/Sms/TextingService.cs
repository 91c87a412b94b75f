using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms.Budgets;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// The one way the service texts a person: refuses numbers that opted out, takes a slot of every sending limit of the
/// text's purpose in storage (<see cref="SendBudgets"/>, so they hold across instances), then sends; a text Twilio
/// could not take (it kept failing) gives its slots back.
/// </summary>
public sealed class TextingService(
    ISmsSender sender,
    SendBudgets budgets,
    Tables tables,
    Optimistic optimistic,
    TimeProvider time,
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
    /// <param name="purpose">The template (<see cref="SmsTemplates"/>); its <see cref="SmsTemplates.PurposeOf"/> says which budgets it counts against.</param>
    /// <param name="target">What the text is for; Twilio's delivery report for it is dispatched there.</param>
    public async Task<Result<SmsSendResult>> SendAsync(string to, string phoneKey, string? userKey, string body, string purpose, MessageTarget? target, CancellationToken cancellationToken)
    {
        var reserved = await budgets.ReserveAsync(to, phoneKey, userKey, SmsTemplates.PurposeOf(purpose), cancellationToken).ConfigureAwait(false);
        if (!reserved.Succeeded)
        {
            logger.LogWarning("Not texting {Phone} ({Purpose}): {Reason}", PhoneMask.Mask(to), purpose, reserved.Failure.Kind);
            return reserved.Failure;
        }

        SmsSendResult result;
        try
        {
            result = await sender.SendAsync(new SmsMessage(to, body, purpose), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await reserved.Value.GiveBackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.Status == SmsSendStatus.Unavailable)
        {
            // Twilio kept failing and nothing went out: the person may try again without having used a slot. A refusal
            // about the number (opted out, invalid) keeps its slot: trying again cannot help, and giving back would
            // cost a storage round trip more on a request that already has one to make.
            await reserved.Value.GiveBackAsync(cancellationToken).ConfigureAwait(false);
        }

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

    internal static Failure OptedOut()
        => new(FailureKind.OptedOut, "This number replied STOP, so no texts can be sent to it. Text START to the service's number to allow texts again, or use an authenticator app.");
}
