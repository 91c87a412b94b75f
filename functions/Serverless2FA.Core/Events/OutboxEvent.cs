namespace Serverless2FA.Core.Events;

/// <summary>An outbox row as <c>dev/events</c> shows it: the event (its <see cref="EventMessage.Attempt"/> = tries made) and where its delivery stands.</summary>
/// <param name="Status"><c>pending</c> (committed, not tried yet), <c>retrying</c>, <c>delivered</c> or <c>parked</c>.</param>
public sealed record OutboxEvent(EventMessage Event, string Status, int? LastStatusCode, string? Detail, DateTimeOffset UpdatedAt, DateTimeOffset? NextTryAt);
