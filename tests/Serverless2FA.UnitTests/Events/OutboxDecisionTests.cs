using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.UnitTests.Events;

/// <summary>What the outbox decides: the row an emitted event writes, how a try marks it, and what the sweep does with it.</summary>
public sealed class OutboxDecisionTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Emit_WritesAPendingRowInTheUsersPartition_WithItsCheckAfterRequeueAfter_AndNoUserIdInTheClear()
    {
        var draft = EventDrafts.FactorLocked(At, null);

        var changes = new Changes(Tables.Users).Emit("u1", "cipher", draft);

        var row = Assert.Single(changes.Events);
        Assert.False(changes.IsEmpty);
        Assert.Equal(("u1", EventEntity.RowKeyOf(draft.Id), EventStates.Pending), (row.PartitionKey, row.RowKey, row.Status));
        Assert.Equal(At + EventStates.RequeueAfter, row.CheckAt);
        Assert.Equal("{\"until\":null}", row.Fields);
        Assert.Equal("cipher", row.UserIdCipher);
    }

    [Fact]
    public void Emit_ForAUserWhoseIdWasNeverStored_WritesNothing()
        => Assert.True(new Changes(Tables.Users).Emit("u1", null, EventDrafts.TwoFactorDisabled(At)).IsEmpty);

    [Fact]
    public void Emit_OutsideTheUsersTable_IsABug()
        => Assert.Throws<InvalidOperationException>(() => new Changes(Tables.Links).Emit("u1", "c", EventDrafts.TwoFactorDisabled(At)));

    [Fact]
    public void Draft_ForItsUser_PutsUserIdFirst_AndKeepsItsIdTypeAndTime()
    {
        var draft = EventDrafts.EnrollmentCompleted(At, "enr_1", "sms", "every-login", replaced: true);

        var message = draft.For("alice", outbox: "u1", attempt: 3);

        Assert.Equal((draft.Id, EventTypes.EnrollmentCompleted, At, 3, "u1"), (message.Id, message.Type, message.Timestamp, message.Attempt, message.Outbox));
        Assert.Equal("{\"userId\":\"alice\",\"enrollmentId\":\"enr_1\",\"method\":\"sms\",\"policy\":\"every-login\",\"replaced\":true}", message.Data.GetRawText());
        Assert.DoesNotContain("outbox", message.Body(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATryThatFailed_MarksTheRowRetrying_AndMovesItsCheckPastTheRetry()
    {
        var row = Row();
        var next = At + TimeSpan.FromMinutes(10);

        var decision = OutboxRows.Record(row, Progress(row, EventStatus.Retrying, attempts: 2, next));

        Assert.True(decision.Answer.Value);
        Assert.Equal((EventStates.Retrying, 2, next + EventStates.RequeueAfter), (row.Status, row.Attempts, row.CheckAt));
        Assert.Equal(TableTransactionActionType.UpdateReplace, Assert.Single(decision.Changes!.Rows).ActionType);
    }

    [Theory]
    [InlineData(EventStatus.Retrying)]
    [InlineData(EventStatus.Parked)]
    [InlineData(EventStatus.Delivered)]
    public void ADeliveredRow_StaysDelivered_WhateverALateCopyReports(EventStatus late)
    {
        var row = Row(EventStates.Delivered);

        var decision = OutboxRows.Record(row, Progress(row, late, attempts: 1, null));

        Assert.Null(decision.Changes);
        Assert.Equal(EventStates.Delivered, row.Status);
    }

    [Theory]
    [InlineData(EventStates.Delivered)]
    [InlineData(EventStates.Parked)]
    public void Sweep_DeletesASettledRow(string status)
    {
        var decision = OutboxExpiryHandler.Decide(Row(status), At + TimeSpan.FromHours(1), enabled: true);

        Assert.Equal(ExpiryOutcome.Expired, decision.Answer.Value.Outcome);
        Assert.Equal(TableTransactionActionType.Delete, Assert.Single(decision.Changes!.Rows).ActionType);
    }

    [Fact]
    public void Sweep_ARowStillWaitingForItsRetry_OnlyGetsALaterCheck()
    {
        var row = Row(EventStates.Retrying);
        row.CheckAt = At + TimeSpan.FromHours(2);

        var decision = OutboxExpiryHandler.Decide(row, At + TimeSpan.FromHours(1), enabled: true);

        Assert.Equal((ExpiryOutcome.NotDue, null), (decision.Answer.Value.Outcome, decision.Answer.Value.Requeue));
        Assert.Empty(decision.Changes!.Rows);
        Assert.Equal((EventStates.ExpiryKind, "u1", row.RowKey, row.CheckAt), Assert.Single(decision.Changes.DueEntries));
    }

    [Fact]
    public void Sweep_ARowNobodyDeliveredByItsCheck_IsQueuedAgain_WithTheSameIdAndItsETag()
    {
        var row = Row();
        var now = At + TimeSpan.FromMinutes(3);

        var decision = OutboxExpiryHandler.Decide(row, now, enabled: true);

        Assert.Same(row, decision.Answer.Value.Requeue);
        Assert.Equal(now + EventStates.RequeueAfter, row.CheckAt);
        var write = Assert.Single(decision.Changes!.Rows);
        Assert.Equal((TableTransactionActionType.UpdateReplace, row.ETag), (write.ActionType, write.ETag));
        Assert.Equal((EventStates.ExpiryKind, "u1", row.RowKey, row.CheckAt), Assert.Single(decision.Changes.DueEntries));
    }

    [Fact]
    public void Sweep_WithEventsTurnedOff_DeletesTheRow_ForNobodyWouldDeliverIt()
    {
        var decision = OutboxExpiryHandler.Decide(Row(), At + TimeSpan.FromMinutes(3), enabled: false);

        Assert.Null(decision.Answer.Value.Requeue);
        Assert.Equal(TableTransactionActionType.Delete, Assert.Single(decision.Changes!.Rows).ActionType);
    }

    private static EventEntity Row(string status = EventStates.Pending)
    {
        var row = EventEntity.Pending("u1", "cipher", EventDrafts.TwoFactorDisabled(At));
        row.Status = status;
        row.ETag = new ETag("W/\"1\"");
        return row;
    }

    private static EventProgress Progress(EventEntity row, EventStatus status, int attempts, DateTimeOffset? next)
        => new(row.ToDraft().For("alice", row.PartitionKey, attempts), status, attempts, 500, "answered 500", At, next);
}
