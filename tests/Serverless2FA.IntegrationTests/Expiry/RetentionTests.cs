using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>Records kept only for a while (audit events, delivery records) are indexed for the sweep and removed.</summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class RetentionTests(ServiceFixture fixture)
{
    private readonly Tables _tables = fixture.Factory.Services.GetRequiredService<Tables>();

    [Fact]
    public async Task AuditTrim_DeletesOnlyEventsPastRetention_AndSchedulesTheNextTrim()
    {
        var handler = fixture.Factory.Services.GetRequiredService<AuditTrimHandler>();
        var users = await _tables.GetAsync(Tables.Users);
        var userKey = "u" + Guid.NewGuid().ToString("N");
        var now = fixture.Clock.GetUtcNow();
        var old = Enumerable.Range(0, 130).Select(i => AuditEntity.Create(userKey, now.AddDays(-366 - i), AuditEvents.Verified)).ToList();
        var recent = Enumerable.Range(0, 3).Select(i => AuditEntity.Create(userKey, now.AddDays(-364 + i), AuditEvents.Denied)).ToList();
        foreach (var chunk in old.Concat(recent).Chunk(100))
        {
            await users.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        }

        var outcome = await handler.ExpireAsync(Entry(userKey, now), now, default);

        Assert.Equal(ExpiryOutcome.Expired, outcome);
        var left = await users.QueryAsync<AuditEntity>(e => e.PartitionKey == userKey).ToListAsync();
        Assert.Equal(recent.Select(e => e.RowKey).Order(), left.Select(e => e.RowKey).Order());
        Assert.True(await IndexedAsync(ExpiryKinds.AuditTrim, Tables.Users, userKey, AuditTrimHandler.TargetRow, now.AddDays(1), now.AddDays(13)));

        // Run again: nothing old is left, so nothing is deleted.
        Assert.Equal(ExpiryOutcome.Gone, await handler.ExpireAsync(Entry(userKey, now), now, default));
    }

    [Fact]
    public async Task Enrollment_StartsTheAuditTrimChain()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var userKey = await fixture.Factory.Services.GetRequiredService<UserKeys>().ForUserAsync(user.UserId, default);
        var now = fixture.Clock.GetUtcNow();

        Assert.True(await IndexedAsync(ExpiryKinds.AuditTrim, Tables.Users, userKey, AuditTrimHandler.TargetRow, now.AddDays(11), now.AddDays(13)));
    }

    [Fact]
    public async Task SentText_IsIndexedForDeletionAfterTheDeliveryRecordRetention()
    {
        var driver = new SetupDriver(fixture);
        var phone = SetupDriver.NewPhone();
        await driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        var sid = Assert.Single(fixture.Twilio.MessagesTo(phone)).Sid;
        var now = fixture.Clock.GetUtcNow();

        Assert.True(await IndexedAsync(ExpiryKinds.Retention, Tables.Messages, sid, MessageEntity.Outbound, now.AddDays(29), now.AddDays(31)));
    }

    private static ExpiryEntry Entry(string userKey, DateTimeOffset due) => new()
    {
        PartitionKey = ExpiryIndex.Bucket(due),
        RowKey = ExpiryEntry.MakeRowKey(ExpiryKinds.AuditTrim, Tables.Users, userKey, AuditTrimHandler.TargetRow),
        Kind = ExpiryKinds.AuditTrim,
        Table = Tables.Users,
        TargetPartitionKey = userKey,
        TargetRowKey = AuditTrimHandler.TargetRow,
        DueAt = due,
    };

    /// <summary>Is there an index entry for the row, due between the two times (one bounded range query per day table)?</summary>
    private Task<bool> IndexedAsync(string kind, string table, string pk, string rk, DateTimeOffset from, DateTimeOffset to)
        => IndexProbe.ContainsAsync(_tables, ExpiryEntry.MakeRowKey(kind, table, pk, rk), from, to);
}
