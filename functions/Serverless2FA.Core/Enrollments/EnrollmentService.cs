using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.TextEnrollment;

namespace Serverless2FA.Core.Enrollments;

/// <summary>Starts enrollments ("Text me a link") and exchanges a texted link for a setup session.</summary>
public sealed partial class EnrollmentService(
    Tables tables,
    Optimistic optimistic,
    StepUps stepUps,
    SetupSessions sessions,
    KeyRing keys,
    UserKeys userKeys,
    PhoneNumberPolicy phones,
    TextingService texting,
    JoinCodes joinCodes,
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
        var phoneCipher = await keys.EncryptAsync(phone.E164!, PhoneContext(userKey), cancellationToken).ConfigureAwait(false);
        var userIdCipher = await userKeys.EncryptIdAsync(request.UserId!, userKey, cancellationToken).ConfigureAwait(false);
        var enrollment = Enrollment.StartWithLink(userKey, NewEnrollmentId(), now, now + options.Value.LinkTtl, phoneCipher, PhoneMask.Mask(phone.E164!), phoneKey, request.Locale, request.Policy, userIdCipher);
        // A new "Text me" replaces any earlier pending enrollment; its link and session stop working. An enrolled
        // user's needs a step-up; refused, nothing is texted.
        var admitted = await stepUps.SaveNewAsync(enrollment, request.StepUp, cancellationToken).ConfigureAwait(false);
        if (!admitted.Succeeded)
        {
            return admitted.Failure;
        }

        var sent = await TextLinkAsync(userKey, enrollment.Id, phone.E164!, phoneKey, request.Locale, cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            var reason = sent.Failure.Kind == FailureKind.OptedOut ? EventDrafts.OptedOut : EventDrafts.Undeliverable;
            await sessions.MoveAsync(userKey, enrollment.Id, e => e.FailDelivery(), cancellationToken, (e, now) => EventDrafts.EnrollmentFailed(now, e.Id, reason)).ConfigureAwait(false);
            return sent.Failure;
        }

        logger.LogInformation("Enrollment {EnrollmentId} started; setup link texted to {Phone}", enrollment.Id, enrollment.PhoneMasked);
        return new EnrollmentStarted(enrollment.Id, enrollment.Status.ToWire(), enrollment.ExpiresAt);
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
        await optimistic.CommitAsync(new Changes(Tables.Links).Add(link, new Due(ExpiryKinds.Link, link.ExpiresAt)), cancellationToken).ConfigureAwait(false);

        var body = SmsTemplates.Render(SmsTemplates.SetupLink, locale, service.Value.Issuer, SetupLink(token), (int)options.Value.LinkTtl.TotalMinutes);
        var sent = await texting.SendAsync(phone, phoneKey, userKey, body, SmsTemplates.SetupLink, MessageTarget.Enrollment(userKey, enrollmentId), cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            return sent.Failure;
        }

        if (sent.Value.Recorded)
        {
            await NoteMessageSidAsync(userKey, enrollmentId, sent.Value.MessageSid, cancellationToken).ConfigureAwait(false);
        }

        return link.ExpiresAt;
    }

    /// <summary>
    /// The sid only serves delivery reports: if the enrollment was replaced or ended meanwhile, it is not noted, and a
    /// storage fault here is logged, not answered, because the link is texted already.
    /// </summary>
    private async Task NoteMessageSidAsync(string userKey, string enrollmentId, string? messageSid, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.MoveAsync(userKey, enrollmentId, e => e.RecordMessageSid(messageSid), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            logger.LogWarning(ex, "Could not note {MessageSid} on enrollment {EnrollmentId}", messageSid, enrollmentId);
        }
    }

    /// <summary>Exchanges a single-use setup link for a setup session. Of parallel requests with one link, one wins.</summary>
    public async Task<Result<SetupSessionOpened>> OpenLinkAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SetupLinks.IsWellFormed(token))
        {
            return LinkGone();
        }

        // The link is used up first, with its ETag: a second request with it finds it used.
        var used = await optimistic.ChangeAsync(
            ct => tables.FindLinkAsync(token, ct),
            (link, now) =>
            {
                if (!SetupLinks.IsLive(link, now))
                {
                    return LinkGone();
                }

                link.UsedAt = now;
                return new Decision<LinkEntity>(link, new Changes(Tables.Links).Replace(link));
            },
            cancellationToken).ConfigureAwait(false);
        if (!used.Succeeded)
        {
            return used.Failure;
        }

        var link = used.Value;
        var secret = Randomness.Token(32);
        var sessionExpires = link.UsedAt!.Value + options.Value.SessionTtl;
        var opened = await optimistic.ChangeAsync(
            ct => tables.FindEnrollmentAsync(link.UserKey, ct),
            (e, now) => !SetupLinks.Opens(link, e, now) || e.Open(Hashes.OfToken(secret), sessionExpires) is not null
                ? LinkGone()
                : new Decision<Enrollment>(e, new Changes(Tables.Users).Save(e, new Due(ExpiryKinds.Enrollment, sessionExpires))),
            cancellationToken,
            busy: new Failure(FailureKind.Unavailable, "The setup could not be opened right now. Try the link again.") { RetryAfter = TimeSpan.FromSeconds(1) }).ConfigureAwait(false);
        if (!opened.Succeeded)
        {
            return opened.Failure;
        }

        logger.LogInformation("Setup link for enrollment {EnrollmentId} opened", opened.Value.Id);
        return new SetupSessionOpened(link.UserKey + "." + secret, sessionExpires);
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

    [GeneratedRegex("^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LocalePattern();
}
