using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Notices;

/// <summary>
/// Texts a security notice to an enrolled phone, after the change it reports has been committed. A notice never
/// blocks or fails that change: one that cannot be sent (opted out, a sending limit, Twilio or storage down) is
/// recorded in the user's audit trail as <c>notice-skipped</c> with the reason, and the caller goes on.
/// </summary>
public sealed class NoticeSender(
    TextingService texting,
    KeyRing keys,
    Optimistic optimistic,
    TimeProvider time,
    IOptions<NoticeOptions> options,
    IOptions<ServiceOptions> service,
    ILogger<NoticeSender> logger)
{
    /// <param name="to">The phone to tell; null when the factor had none (nothing is sent or recorded).</param>
    /// <param name="notice">A notice template (<c>SmsTemplates.Notice…</c>).</param>
    /// <param name="count">The template's number, where it has one (emergency codes left).</param>
    public async Task SendAsync(NoticeRecipient? to, string notice, int? count, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || to is null)
        {
            return;
        }

        string reason;
        try
        {
            var phone = await keys.DecryptAsync(to.PhoneCipher, EnrollmentService.PhoneContext(to.UserKey), cancellationToken).ConfigureAwait(false);
            var body = SmsTemplates.Render(notice, to.Locale, service.Value.Issuer, count ?? 0);
            // Not counted against the user's log-in and enrollment budget: a notice has a purpose of its own.
            var sent = await texting.SendAsync(phone, to.PhoneKey, userKey: null, body, notice, target: null, cancellationToken).ConfigureAwait(false);
            if (sent.Succeeded)
            {
                return;
            }

            reason = ReasonOf(sent.Failure.Kind);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            logger.LogWarning(ex, "Could not text the {Notice} notice", notice);
            reason = "unavailable";
        }

        await RecordSkippedAsync(to.UserKey, notice, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordSkippedAsync(string userKey, string notice, string reason, CancellationToken cancellationToken)
    {
        var detail = notice[SmsTemplates.NoticePrefix.Length..] + ": " + reason;
        logger.LogWarning("Notice skipped for {UserKey}: {Detail}", userKey, detail);
        try
        {
            var audit = AuditEntity.Create(userKey, time.GetUtcNow(), AuditEvents.NoticeSkipped, detail: detail);
            await optimistic.CommitAsync(new Changes(Tables.Users).Add(audit), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            // The change it reports is done; the log line above is all that is left of the skipped notice.
            logger.LogWarning(ex, "Could not record the skipped {Notice} notice", notice);
        }
    }

    private static string ReasonOf(FailureKind kind) => kind switch
    {
        FailureKind.OptedOut => "opted-out",
        FailureKind.RateLimited => "limit",
        FailureKind.Undeliverable => "undeliverable",
        _ => "unavailable",
    };
}
