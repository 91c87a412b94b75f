using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
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
    Optimistic optimistic,
    StepUps stepUps,
    KeyRing keys,
    UserKeys userKeys,
    JoinAttempts attempts,
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

    /// <summary>The bot's first step once a phone has joined (a <c>ConversationState</c> name).</summary>
    private const string ConversationStart = "ChoosingMethod";

    /// <summary>Creates the pending enrollment (replacing any earlier one, if admitted) and its join code. Validated by the caller.</summary>
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
        var userIdCipher = await userKeys.EncryptIdAsync(request.UserId!, userKey, cancellationToken).ConfigureAwait(false);
        var enrollment = Enrollment.StartByText(userKey, EnrollmentService.NewEnrollmentId(), now, expires, request.Locale, request.Policy, userIdCipher);

        // First the enrollment, admitted (an enrolled user's needs a step-up): a join code without it opens nothing.
        var admitted = await stepUps.SaveNewAsync(enrollment, request.StepUp, cancellationToken).ConfigureAwait(false);
        if (!admitted.Succeeded)
        {
            return admitted.Failure;
        }

        // A code is drawn for each try: a live code that already has this value is a conflict, and the next try draws another.
        var drawn = await optimistic.ChangeAsync(
            async ct =>
            {
                var code = JoinCode.New();
                return (Code: code, Hash: await keys.LookupHashAsync(JoinCode.HashPurpose, code, ct).ConfigureAwait(false));
            },
            (drawn, _) =>
            {
                var row = new JoinCodeEntity { PartitionKey = drawn.Hash, UserKey = userKey, EnrollmentId = enrollment.Id, ExpiresAt = expires };
                return new Decision<string>(drawn.Code, new Changes(Tables.JoinCodes).Add(row, new Due(ExpiryKind, expires)));
            },
            cancellationToken).ConfigureAwait(false);
        if (!drawn.Succeeded)
        {
            return drawn.Failure;
        }

        logger.LogInformation("Enrollment {EnrollmentId} started; awaiting a text", enrollment.Id);
        return new EnrollmentStarted(enrollment.Id, enrollment.Status.ToWire(), expires, drawn.Value, smsNumber);
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

        var phoneCipher = await keys.EncryptAsync(phone, EnrollmentService.PhoneContext(found.UserKey), cancellationToken).ConfigureAwait(false);
        var joined = await optimistic.ChangeAsync(
            ct => tables.FindEnrollmentAsync(found.UserKey, ct),
            (e, now) => e is null || e.Id != found.EnrollmentId || e.ExpiresAt <= now
                    || e.Join(phoneCipher, PhoneMask.Mask(phone), phoneKey, locale, ConversationStart, now + options.Value.SessionTtl) is not null
                ? new Failure(FailureKind.WrongCode, "That join code was already used or has expired.")
                : new Decision<Enrollment>(e, new Changes(Tables.Users).Save(e, new Due(ExpiryKinds.Enrollment, e.ExpiresAt))),
            cancellationToken).ConfigureAwait(false);
        if (!joined.Succeeded)
        {
            await attempts.RecordFailureAsync(phoneKey, cancellationToken).ConfigureAwait(false);
            return joined.Failure;
        }

        var e = joined.Value;
        var conversation = new ConversationEntity { PartitionKey = phoneKey, UserKey = e.UserKey, EnrollmentId = e.Id };
        await optimistic.CommitAsync(new Changes(Tables.Phones).Upsert(conversation), cancellationToken).ConfigureAwait(false);
        // Used up (the sweep may have got there first).
        await tables.DeleteAnyAsync(Tables.JoinCodes, found.PartitionKey, found.RowKey, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Enrollment {EnrollmentId} joined by {Phone}", e.Id, e.PhoneMasked);
        return new Joined(e.UserKey, e.Id, e.Locale);
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
        var hash = await keys.LookupHashAsync(JoinCode.HashPurpose, code, cancellationToken).ConfigureAwait(false);
        var found = await tables.FindAsync<JoinCodeEntity>(Tables.JoinCodes, hash, JoinCodeEntity.Row, cancellationToken).ConfigureAwait(false);
        return found is not null && found.ExpiresAt > time.GetUtcNow() ? found : null;
    }
}

/// <summary>The enrollment a phone just joined.</summary>
public sealed record Joined(string UserKey, string EnrollmentId, string? Locale);
