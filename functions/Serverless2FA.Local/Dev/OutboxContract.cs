// TEMPORARY: copies of the contract Serverless2FA.Core will own, so the local host compiles before
// OutboxSmsSender lands. Delete this file when merging with the branch that adds them to Core.
namespace Serverless2FA.Core.Sms;

public interface IOutbox
{
    Task<IReadOnlyList<OutboxMessage>> ListAsync(string? to, CancellationToken ct);
}

public sealed record OutboxMessage(string To, string Body, string Purpose, DateTimeOffset SentAt, string MessageSid);
