namespace Serverless2FA.Core.Sms;

/// <summary>The texts "sent" in outbox mode, for <c>dev/outbox</c> and the phone simulator.</summary>
public interface IOutbox
{
    /// <param name="to">An E.164 number: that number's texts, oldest first. Null: the latest 100 texts overall, oldest first.</param>
    Task<IReadOnlyList<OutboxMessage>> ListAsync(string? to, CancellationToken ct);
}

public sealed record OutboxMessage(string To, string Body, string Purpose, DateTimeOffset SentAt, string MessageSid);
