using Azure.Data.Tables;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>What the SMS bot reads and writes of a phone's conversation, as plain values (the bot sees no storage types).</summary>
public sealed class TextConversations(Tables tables, SetupSessions sessions, TimeProvider time)
{
    /// <summary>The phone's opt-out flag and the enrollment it is talking about: one partition read, then the enrollment.</summary>
    public async Task<PhoneConversation> LoadAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var phones = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        bool optedOut = false;
        string? userKey = null, enrollmentId = null;
        await foreach (var row in phones.QueryAsync<TableEntity>(
            $"PartitionKey eq '{phoneKey}'", select: ["RowKey", nameof(PhoneEntity.OptedOut), nameof(ConversationEntity.UserKey), nameof(ConversationEntity.EnrollmentId)],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == PhoneEntity.Row)
            {
                optedOut = row.GetBoolean(nameof(PhoneEntity.OptedOut)) == true;
            }
            else if (row.RowKey == ConversationEntity.Row)
            {
                (userKey, enrollmentId) = (row.GetString(nameof(ConversationEntity.UserKey)), row.GetString(nameof(ConversationEntity.EnrollmentId)));
            }
        }

        if (userKey is null || enrollmentId is null)
        {
            return new PhoneConversation(optedOut, null);
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var found = await users.GetEntityIfExistsAsync<EnrollmentEntity>(userKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value!.EnrollmentId != enrollmentId)
        {
            return new PhoneConversation(optedOut, null);
        }

        var e = found.Value;
        var live = e.Status == EnrollmentStatus.Completed || (!EnrollmentStatus.IsFinal(e.Status) && e.ExpiresAt > time.GetUtcNow());
        return new PhoneConversation(optedOut, live ? ToPending(e) : null);
    }

    /// <summary>Records the bot's step with the enrollment's ETag.</summary>
    public Task<Result<bool>> SetStepAsync(SetupTarget target, string step, CancellationToken cancellationToken)
        => sessions.ChangeAsync<bool>(target, (e, _) =>
        {
            var changed = e.Conversation != step;
            e.Conversation = step;
            return Task.FromResult(new SetupSessions.Change<bool>(true, changed));
        }, cancellationToken);

    /// <summary>Before texting a setup link: the link opens only an enrollment in <see cref="EnrollmentStatus.LinkSent"/>.</summary>
    public Task<Result<bool>> PrepareLinkAsync(SetupTarget target, string step, CancellationToken cancellationToken)
        => sessions.ChangeAsync<bool>(target, (e, _) =>
        {
            if (e.Status == EnrollmentStatus.Verified)
            {
                return Task.FromResult(new SetupSessions.Change<bool>(new Failure(FailureKind.Conflict, "Already verified."), false));
            }

            e.Conversation = step;
            e.Status = EnrollmentStatus.LinkSent;
            return Task.FromResult(new SetupSessions.Change<bool>(true, true));
        }, cancellationToken);

    /// <summary>CANCEL: the pending enrollment ends and its secrets go; the phone's conversation row stays, pointing at nothing live.</summary>
    public Task<Result<bool>> CancelAsync(SetupTarget target, CancellationToken cancellationToken)
        => sessions.ChangeAsync<bool>(target, (e, _) =>
        {
            e.Status = EnrollmentStatus.Cancelled;
            e.SessionHash = e.SeedCipher = e.SmsCodeHash = e.SmsCodeSalt = e.EmergencyCodeHashes = e.PhoneCipher = null;
            return Task.FromResult(new SetupSessions.Change<bool>(true, true));
        }, cancellationToken);

    private static PendingText ToPending(EnrollmentEntity e)
        => new(e.PartitionKey, e.EnrollmentId, e.Status, e.Conversation, e.Method, e.Locale, e.RequestedPolicy, e.ExpiresAt, e.PhoneMasked);
}

/// <param name="Enrollment">The live (or just completed) enrollment this phone joined; null when there is none.</param>
public sealed record PhoneConversation(bool OptedOut, PendingText? Enrollment);

/// <summary>A pending enrollment as the bot needs it.</summary>
public sealed record PendingText(
    string UserKey, string EnrollmentId, string Status, string? Conversation, string? Method, string? Locale, string? RequestedPolicy, DateTimeOffset ExpiresAt, string? PhoneMasked)
{
    public SetupTarget Target => SetupTarget.Enrollment(UserKey, EnrollmentId);
}
