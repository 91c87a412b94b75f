using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.UnitTests.Storage;

/// <summary>What a decision's changes say they will write (the writing itself is shown against Azurite).</summary>
public sealed class ChangesTests
{
    [Fact]
    public void NoWrites_IsEmpty()
        => Assert.True(new Changes(Tables.Users).IsEmpty);

    [Fact]
    public void Save_OfARowNeverLoaded_AddsIt_AndOfALoadedOne_ReplacesItWithItsETag()
    {
        var loaded = new LinkEntity { PartitionKey = "p", ETag = new ETag("W/\"1\"") };

        var changes = new Changes(Tables.Links).Save(new LinkEntity { PartitionKey = "q" }).Save(loaded);

        Assert.Equal([TableTransactionActionType.Add, TableTransactionActionType.UpdateReplace], changes.Rows.Select(r => r.ActionType));
        Assert.Equal(loaded.ETag, changes.Rows[1].ETag);
    }

    [Fact]
    public void APendingRow_CarriesItsIndexEntry_ForTheRowsOwnKeys()
    {
        var due = new DateTimeOffset(2025, 6, 1, 12, 15, 0, TimeSpan.Zero);

        var changes = new Changes(Tables.Links).Add(new LinkEntity { PartitionKey = "hash" }, new Due("link", due));

        Assert.False(changes.IsEmpty);
        Assert.Equal(("link", "hash", LinkEntity.Row, due), Assert.Single(changes.DueEntries));
    }

    [Fact]
    public void DeleteAny_AndUnchanged_WriteNoColumns()
    {
        var profile = new UserProfileEntity { PartitionKey = "u", Enrolled = true, ETag = new ETag("W/\"7\"") };

        var changes = new Changes(Tables.Users).Unchanged(profile).DeleteAny("u", "dev-1");

        Assert.All(changes.Rows, r => Assert.IsType<RowKeys>(r.Entity));
        Assert.Equal((TableTransactionActionType.UpdateMerge, profile.ETag), (changes.Rows[0].ActionType, changes.Rows[0].ETag));
        Assert.Equal((TableTransactionActionType.Delete, ETag.All), (changes.Rows[1].ActionType, changes.Rows[1].ETag));
    }
}
