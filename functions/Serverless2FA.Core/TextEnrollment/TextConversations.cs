using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>What the SMS bot reads and writes of a phone's conversation, as plain values (the bot sees no storage types).</summary>
public sealed class TextConversations(Tables tables, SetupSessions sessions, TimeProvider time)
{
    /// <summary>The phone's opt-out flag and the enrollment it is talking about: one partition read, then the enrollment.</summary>
    public async Task<PhoneConversation> LoadAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var phone = await tables.FindPhoneAsync(phoneKey, cancellationToken).ConfigureAwait(false);
        if (phone.UserKey is null || phone.EnrollmentId is null)
        {
            return new PhoneConversation(phone.OptedOut, null);
        }

        var e = await tables.FindEnrollmentAsync(phone.UserKey, cancellationToken).ConfigureAwait(false);
        if (e is null || e.Id != phone.EnrollmentId)
        {
            return new PhoneConversation(phone.OptedOut, null);
        }

        var live = e.Status == EnrollmentStatus.Completed || (!e.Status.IsFinal() && e.ExpiresAt > time.GetUtcNow());
        return new PhoneConversation(phone.OptedOut, live ? ToPending(e) : null);
    }

    /// <summary>Records the bot's step with the enrollment's ETag (nothing is written when it is already that step).</summary>
    public Task<Result<bool>> SetStepAsync(SetupTarget target, string step, CancellationToken cancellationToken)
        => sessions.ChangeAsync(target, (e, _) => e.RecordStep(step) ? SetupSessions.Save<bool>(true, e) : new Decision<bool>(true), cancellationToken);

    /// <summary>Before texting a setup link: the link opens only an enrollment in <see cref="EnrollmentStatus.LinkSent"/>.</summary>
    public Task<Result<bool>> PrepareLinkAsync(SetupTarget target, string step, CancellationToken cancellationToken)
        => sessions.ChangeAsync(target, (e, _) => e.ReissueLink(step) is { } refused ? refused : SetupSessions.Save<bool>(true, e), cancellationToken);

    /// <summary>CANCEL: the pending enrollment ends and its secrets go; the phone's conversation row stays, pointing at nothing live.</summary>
    public Task<Result<bool>> CancelAsync(SetupTarget target, CancellationToken cancellationToken)
        => sessions.ChangeAsync(
            target,
            (e, now) => e.Cancel() is { } refused
                ? refused
                : new Decision<bool>(true, new Changes(Tables.Users).Save(e).Emit(e.UserKey, e.UserIdCipher, EventDrafts.EnrollmentFailed(now, e.Id, EventDrafts.Cancelled))),
            cancellationToken);

    private static PendingText ToPending(Enrollment e)
        => new(e.UserKey, e.Id, e.Status, e.Conversation, e.Method, e.Locale, e.RequestedPolicy, e.ExpiresAt, e.PhoneMasked);
}

/// <param name="Enrollment">The live (or just completed) enrollment this phone joined; null when there is none.</param>
public sealed record PhoneConversation(bool OptedOut, PendingText? Enrollment);

/// <summary>A pending enrollment as the bot needs it.</summary>
public sealed record PendingText(
    string UserKey, string EnrollmentId, EnrollmentStatus Status, string? Conversation, string? Method, string? Locale, string? RequestedPolicy, DateTimeOffset ExpiresAt, string? PhoneMasked)
{
    public SetupTarget Target => SetupTarget.Enrollment(UserKey, EnrollmentId);
}
