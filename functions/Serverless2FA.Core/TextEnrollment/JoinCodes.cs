using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>Enrollment started by text: a join code for the relying app, and JOIN binding the phone that texts it.</summary>
public sealed class JoinCodes(
    Tables tables,
    KeyRing keys,
    UserKeys userKeys,
    JoinAttempts attempts,
    ExpiryIndex expiry,
    TimeProvider time,
    IOptions<TwilioOptions> twilio,
    IOptions<EnrollmentOptions> options,
    ILogger<JoinCodes> logger)
{
    public const string ExpiryKind = "join-code";

    /// <summary>
    /// What people text in outbox mode when no Twilio:FromNumber is set: Twilio's magic test number, which the phone
    /// simulator texts. No real text is ever sent from it.
    /// </summary>
    public const string OutboxNumber = "+15005550006";

    /// <summary>Creates the pending enrollment (replacing any earlier one) and its join code. Validated by the caller.</summary>
    public async Task<Result<EnrollmentStarted>> StartAsync(StartEnrollment request, string smsMode, CancellationToken cancellationToken)
    {
        var smsNumber = SmsNumber(smsMode);
        if (smsNumber is null)
        {
            // A Messaging Service picks its sender per message, so the service cannot say which number to text.
            return new Failure(FailureKind.Conflict, "Enrollment by text message needs the number people text: set Twilio:FromNumber. Send a phone number instead to text a setup link.");
        }

        var now = time.GetUtcNow();
        var expires = now + options.Value.LinkTtl;
        var userKey = await userKeys.ForUserAsync(request.UserId!, cancellationToken).ConfigureAwait(false);
        var enrollment = new EnrollmentEntity
        {
            PartitionKey = userKey,
            EnrollmentId = EnrollmentService.NewEnrollmentId(),
            Status = EnrollmentStatus.AwaitingText,
            CreatedAt = now,
            ExpiresAt = expires,
            Locale = request.Locale,
            RequestedPolicy = request.Policy,
        };

        var table = await tables.GetAsync(Tables.JoinCodes, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var code = JoinCode.New();
            var row = new JoinCodeEntity
            {
                PartitionKey = await keys.LookupHashAsync(JoinCode.HashPurpose, code, cancellationToken).ConfigureAwait(false),
                UserKey = userKey,
                EnrollmentId = enrollment.EnrollmentId,
                ExpiresAt = expires,
            };
            try
            {
                // Index first, as everywhere: an index row without its target is dropped by the sweep.
                await expiry.AddAsync(ExpiryKind, Tables.JoinCodes, row.PartitionKey, row.RowKey, expires, cancellationToken).ConfigureAwait(false);
                await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 3)
            {
                continue; // a live code already has this value: draw another
            }

            await expiry.AddAsync("enrollment", Tables.Users, userKey, EnrollmentEntity.Row, expires, cancellationToken).ConfigureAwait(false);
            var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
            await users.UpsertEntityAsync(enrollment, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Enrollment {EnrollmentId} started; awaiting a text", enrollment.EnrollmentId);
            return new EnrollmentStarted(enrollment.EnrollmentId, EnrollmentStatus.AwaitingText, expires, code, smsNumber);
        }
    }

    /// <summary>
    /// Binds the phone that texted <c>JOIN &lt;code&gt;</c> to the code's pending enrollment. Single use: the
    /// enrollment leaves awaiting-text with its ETag, so of two phones racing with one code, one wins.
    /// </summary>
    public async Task<Result<Joined>> JoinAsync(string phone, string phoneKey, string? input, string? locale, CancellationToken cancellationToken)
    {
        if (await attempts.WaitAsync(phoneKey, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            return new Failure(FailureKind.RateLimited, "Too many wrong join codes from this phone.") { RetryAfter = wait };
        }

        var code = JoinCode.Normalize(input);
        var found = code is null ? null : await FindAsync(code, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await attempts.RecordFailureAsync(phoneKey, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Wrong join code from {Phone}", PhoneMask.Mask(phone));
            return new Failure(FailureKind.WrongCode, "That join code is not right or has expired.");
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var pending = await users.GetEntityIfExistsAsync<EnrollmentEntity>(found.UserKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!pending.HasValue || pending.Value!.EnrollmentId != found.EnrollmentId || pending.Value.Status != EnrollmentStatus.AwaitingText || pending.Value.ExpiresAt <= now)
        {
            await attempts.RecordFailureAsync(phoneKey, cancellationToken).ConfigureAwait(false);
            return new Failure(FailureKind.WrongCode, "That join code was already used or has expired.");
        }

        var e = pending.Value;
        e.Status = EnrollmentStatus.Opened;
        e.Conversation = "ChoosingMethod";
        e.PhoneCipher = await keys.EncryptAsync(phone, EnrollmentService.PhoneContext(e.PartitionKey), cancellationToken).ConfigureAwait(false);
        e.PhoneMasked = PhoneMask.Mask(phone);
        e.PhoneKey = phoneKey;
        e.Locale ??= locale;
        e.ExpiresAt = now + options.Value.SessionTtl;
        await expiry.AddAsync("enrollment", Tables.Users, e.PartitionKey, EnrollmentEntity.Row, e.ExpiresAt, cancellationToken).ConfigureAwait(false);
        try
        {
            await users.UpdateEntityAsync(e, e.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return new Failure(FailureKind.WrongCode, "That join code was already used.");
        }

        var phones = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        await phones.UpsertEntityAsync(new ConversationEntity { PartitionKey = phoneKey, UserKey = e.PartitionKey, EnrollmentId = e.EnrollmentId }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(found, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Enrollment {EnrollmentId} joined by {Phone}", e.EnrollmentId, e.PhoneMasked);
        return new Joined(e.PartitionKey, e.EnrollmentId, e.Locale);
    }

    private string? SmsNumber(string smsMode)
    {
        var from = twilio.Value.FromNumber;
        if (!string.IsNullOrWhiteSpace(from))
        {
            return from;
        }

        return smsMode == OutboxSmsSender.ModeName ? OutboxNumber : null;
    }

    private async Task<JoinCodeEntity?> FindAsync(string code, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.JoinCodes, cancellationToken).ConfigureAwait(false);
        var hash = await keys.LookupHashAsync(JoinCode.HashPurpose, code, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<JoinCodeEntity>(hash, JoinCodeEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue && found.Value!.ExpiresAt > time.GetUtcNow() ? found.Value : null;
    }

    private async Task DeleteAsync(JoinCodeEntity row, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.JoinCodes, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The sweep got there first.
        }
    }
}

/// <summary>The enrollment a phone just joined.</summary>
public sealed record Joined(string UserKey, string EnrollmentId, string? Locale);
