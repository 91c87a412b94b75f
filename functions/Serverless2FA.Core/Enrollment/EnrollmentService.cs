using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.TextEnrollment;

namespace Serverless2FA.Core.Enrollment;

/// <summary>Starts enrollments ("Text me a link") and exchanges a texted link for a setup session.</summary>
public sealed partial class EnrollmentService(
    Tables tables,
    KeyRing keys,
    UserKeys userKeys,
    PhoneNumberPolicy phones,
    TextingService texting,
    JoinCodes joinCodes,
    ExpiryIndex expiry,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<EnrollmentOptions> options,
    ILogger<EnrollmentService> logger)
{
    /// <summary>With a phone: texts a setup link. Without: the person starts by texting the service.</summary>
    public Task<Result<EnrollmentStarted>> StartAsync(StartEnrollment request, CancellationToken cancellationToken)
        => request.Phone is null
            ? StartByTextAsync(request, cancellationToken)
            : StartWithLinkAsync(request, cancellationToken);

    /// <summary>No phone: the person texts <c>JOIN &lt;code&gt;</c> to the service's number to bind theirs.</summary>
    public Task<Result<EnrollmentStarted>> StartByTextAsync(StartEnrollment request, CancellationToken cancellationToken)
    {
        var invalid = UserIds.Validate(request.UserId) ?? ValidatePolicyAndLocale(request.Policy, request.Locale);
        return invalid is not null
            ? Task.FromResult<Result<EnrollmentStarted>>(invalid)
            : joinCodes.StartAsync(request, texting.Mode, cancellationToken);
    }

    public async Task<Result<EnrollmentStarted>> StartWithLinkAsync(StartEnrollment request, CancellationToken cancellationToken)
    {
        var invalid = UserIds.Validate(request.UserId) ?? ValidatePolicyAndLocale(request.Policy, request.Locale);
        if (invalid is not null)
        {
            return invalid;
        }

        var phone = phones.Parse(request.Phone);
        if (!phone.Valid)
        {
            return Failure.Invalid("phone", phone.Error!);
        }

        var now = time.GetUtcNow();
        var userKey = await userKeys.ForUserAsync(request.UserId!, cancellationToken).ConfigureAwait(false);
        var phoneKey = await userKeys.ForPhoneAsync(phone.E164!, cancellationToken).ConfigureAwait(false);
        var linkExpires = now + options.Value.LinkTtl;
        var enrollment = new EnrollmentEntity
        {
            PartitionKey = userKey,
            EnrollmentId = NewEnrollmentId(),
            Status = EnrollmentStatus.LinkSent,
            CreatedAt = now,
            ExpiresAt = linkExpires,
            PhoneCipher = await keys.EncryptAsync(phone.E164!, PhoneContext(userKey), cancellationToken).ConfigureAwait(false),
            PhoneMasked = PhoneMask.Mask(phone.E164!),
            PhoneKey = phoneKey,
            Locale = request.Locale,
            RequestedPolicy = request.Policy,
        };
        // Index first: an index row whose target never got written is dropped by the sweep, whereas
        // a pending row without an index row would never expire.
        await expiry.AddAsync(ExpiryKinds.Enrollment, Tables.Users, userKey, EnrollmentEntity.Row, enrollment.ExpiresAt, cancellationToken).ConfigureAwait(false);
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        // A new "Text me" replaces any earlier pending enrollment; its link and session stop working.
        await users.UpsertEntityAsync(enrollment, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        var sent = await TextLinkAsync(userKey, enrollment.EnrollmentId, phone.E164!, phoneKey, request.Locale, cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            await MarkFailedAsync(users, userKey, enrollment.EnrollmentId, cancellationToken).ConfigureAwait(false);
            return sent.Failure;
        }

        logger.LogInformation("Enrollment {EnrollmentId} started; setup link texted to {Phone}", enrollment.EnrollmentId, enrollment.PhoneMasked);
        return new EnrollmentStarted(enrollment.EnrollmentId, EnrollmentStatus.LinkSent, linkExpires);
    }

    /// <summary>
    /// Makes a single-use setup link to the pending enrollment <paramref name="enrollmentId"/> and texts it. The
    /// enrollment must be (or become) <see cref="EnrollmentStatus.LinkSent"/> for the link to open. Shared by
    /// "Text me a link" and the SMS bot's "2" (a QR code cannot travel by text; the link opens the same page).
    /// </summary>
    /// <returns>When the link expires.</returns>
    public async Task<Result<DateTimeOffset>> TextLinkAsync(string userKey, string enrollmentId, string phone, string phoneKey, string? locale, CancellationToken cancellationToken)
    {
        var token = Randomness.Token();
        var link = new LinkEntity
        {
            PartitionKey = Hashes.OfToken(token),
            UserKey = userKey,
            EnrollmentId = enrollmentId,
            ExpiresAt = time.GetUtcNow() + options.Value.LinkTtl,
        };
        await expiry.AddAsync(ExpiryKinds.Link, Tables.Links, link.PartitionKey, link.RowKey, link.ExpiresAt, cancellationToken).ConfigureAwait(false);
        var links = await tables.GetAsync(Tables.Links, cancellationToken).ConfigureAwait(false);
        await links.AddEntityAsync(link, cancellationToken).ConfigureAwait(false);

        var body = SmsTemplates.Render(SmsTemplates.SetupLink, locale, service.Value.Issuer, SetupLink(token), (int)options.Value.LinkTtl.TotalMinutes);
        var sent = await texting.SendAsync(phone, phoneKey, userKey, body, SmsTemplates.SetupLink, MessageTarget.Enrollment(userKey, enrollmentId), cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            return sent.Failure;
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        await RecordMessageSidAsync(users, userKey, enrollmentId, sent.Value.MessageSid, cancellationToken).ConfigureAwait(false);
        return link.ExpiresAt;
    }

    /// <summary>Exchanges a single-use setup link for a setup session. Of parallel requests with one link, one wins.</summary>
    public async Task<Result<SetupSessionOpened>> OpenLinkAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !TokenPattern().IsMatch(token))
        {
            return LinkGone();
        }

        var now = time.GetUtcNow();
        var links = await tables.GetAsync(Tables.Links, cancellationToken).ConfigureAwait(false);
        var found = await links.GetEntityIfExistsAsync<LinkEntity>(Hashes.OfToken(token), LinkEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value!.UsedAt is not null || found.Value.ExpiresAt <= now)
        {
            return LinkGone();
        }

        var link = found.Value;
        link.UsedAt = now;
        try
        {
            await links.UpdateEntityAsync(link, link.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return LinkGone();
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var secret = Randomness.Token(32);
        var sessionExpires = now + options.Value.SessionTtl;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var pending = await users.GetEntityIfExistsAsync<EnrollmentEntity>(link.UserKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!pending.HasValue || pending.Value!.EnrollmentId != link.EnrollmentId || pending.Value.Status != EnrollmentStatus.LinkSent || pending.Value.ExpiresAt <= now)
            {
                return LinkGone();
            }

            // Index first, as at the start: a crash after the update must not leave the session unindexed.
            await expiry.AddAsync(ExpiryKinds.Enrollment, Tables.Users, link.UserKey, EnrollmentEntity.Row, sessionExpires, cancellationToken).ConfigureAwait(false);
            var enrollment = pending.Value;
            enrollment.Status = EnrollmentStatus.Opened;
            enrollment.SessionHash = Hashes.OfToken(secret);
            enrollment.ExpiresAt = sessionExpires;
            try
            {
                await users.UpdateEntityAsync(enrollment, enrollment.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                continue;
            }

            logger.LogInformation("Setup link for enrollment {EnrollmentId} opened", enrollment.EnrollmentId);
            return new SetupSessionOpened(link.UserKey + "." + secret, sessionExpires);
        }

        return new Failure(FailureKind.Unavailable, "The setup could not be opened right now. Try the link again.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    public static string PhoneContext(string userKey) => "phone|" + userKey;

    public static string NewEnrollmentId() => "enr_" + Randomness.Token(12);

    private string SetupLink(string token) => service.Value.PublicBaseUrl.GetLeftPart(UriPartial.Authority) + "/s/" + token;

    private static Failure? ValidatePolicyAndLocale(string? policy, string? locale)
    {
        if (policy is not null && !Policies.IsValid(policy))
        {
            return Failure.Invalid("policy", $"policy must be \"{Policies.EveryLogin}\" or \"{Policies.OncePerComputer}\".");
        }

        if (locale is not null && !LocalePattern().IsMatch(locale))
        {
            return Failure.Invalid("locale", "locale must be a language tag such as \"en\" or \"es-MX\".");
        }

        return null;
    }

    private static Failure LinkGone()
        => new(FailureKind.Gone, "This setup link has expired or was already used. Ask the app to text you a new one.");

    private static async Task MarkFailedAsync(TableClient users, string userKey, string enrollmentId, CancellationToken cancellationToken)
    {
        var pending = await users.GetEntityIfExistsAsync<EnrollmentEntity>(userKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (pending.HasValue && pending.Value!.EnrollmentId == enrollmentId)
        {
            var entity = pending.Value;
            entity.Status = EnrollmentStatus.Failed;
            try
            {
                await users.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Replaced by a newer enrollment meanwhile; that one is not ours to fail.
            }
        }
    }

    private static async Task RecordMessageSidAsync(TableClient users, string userKey, string enrollmentId, string? messageSid, CancellationToken cancellationToken)
    {
        var patch = new TableEntity(userKey, EnrollmentEntity.Row)
        {
            [nameof(EnrollmentEntity.LastMessageSid)] = messageSid,
        };
        try
        {
            // Only if it is still this enrollment: a merge with the ETag of a fresh read would race just the same.
            var current = await users.GetEntityAsync<EnrollmentEntity>(userKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (current.Value.EnrollmentId == enrollmentId)
            {
                await users.UpdateEntityAsync(patch, current.Value.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Replaced or changed meanwhile: the sid only serves delivery reports, so losing it is harmless.
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LocalePattern();
}
