using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Expiry;

[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class ExpirySweepTests(ServiceFixture fixture)
{
    private static readonly TimeSpan PastSession = TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastLink = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1);

    private readonly SetupDriver _driver = new(fixture);
    private readonly SweepProbe _sweep = new(fixture);

    [Fact]
    public async Task AbandonedEnrollment_IsRefusedOnUse_ThenExpiredBySweep_AndThePersonCanStartAgain()
    {
        var (userId, phone, cookie) = await _driver.StartAndOpenAsync();
        using var chosen = await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        fixture.Clock.Advance(PastSession);

        // Before the sweep: refused on use, and shown as expired.
        using var late = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        await AssertNotEnrolledAndExpiredAsync(userId);

        var outcomes = await SweepAsync();

        // This user's enrollment, expired once by this run (other tests' rows share the tables); its earlier entry,
        // from before the link was opened, finds it gone.
        var userKey = await _sweep.UserKeyAsync(userId);
        var mine = outcomes.Where(o => o.Kind == ExpiryKinds.Enrollment && o.Target == userKey).Select(o => o.Outcome).Order().ToList();
        Assert.Equal([ExpiryOutcome.Expired, ExpiryOutcome.Gone], mine);
        var expired = await _sweep.EnrollmentAsync(userId);
        Assert.Equal(EnrollmentStatus.Expired.ToWire(), expired!.Status);
        Assert.All(new[] { expired.SeedCipher, expired.SessionHash, expired.PhoneCipher, expired.SmsCodeHash, expired.SmsCodeSalt, expired.EmergencyCodeHashes }, Assert.Null);
        using var after = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await AssertNotEnrolledAndExpiredAsync(userId);

        using var again = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var newCookie = await _driver.OpenAsync(_driver.LinkTextedTo(phone));
        using var state = await _driver.SendAsync(HttpMethod.Get, "/api/setup", newCookie, json: null);
        Assert.Equal("opened", (await SetupDriver.JsonAsync(state)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnopenedLink_IsRefusedOnUse_ThenDeletedBySweep()
    {
        var phone = SetupDriver.NewPhone();
        await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        var link = _driver.LinkTextedTo(phone);
        fixture.Clock.Advance(PastLink);

        using var late = await _driver.ContinueAsync(link);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.True(await _sweep.LinkExistsAsync(link));

        var outcomes = await SweepAsync();

        Assert.Equal(ExpiryOutcome.Expired, Assert.Single(outcomes, o => o.Kind == ExpiryKinds.Link && o.Target == SweepProbe.LinkKey(link)).Outcome);
        Assert.False(await _sweep.LinkExistsAsync(link));
        using var afterSweep = await _driver.Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, afterSweep.StatusCode);
    }

    [Fact]
    public async Task TimerFunction_RunFromTheAdminEndpoint_ExpiresWhatIsDue()
    {
        var phone = SetupDriver.NewPhone();
        await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        var link = _driver.LinkTextedTo(phone);
        fixture.Clock.Advance(PastLink);

        using var run = await fixture.Client.PostAsync("/admin/functions/ExpirePendingVerifications", null);

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await _sweep.LinkExistsAsync(link) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await _sweep.LinkExistsAsync(link));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_ExpireEachThingOnce()
    {
        var users = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var userId = SetupDriver.NewUserId();
            await _driver.StartAsync(new { userId, phone = SetupDriver.NewPhone() });
            users.Add(await _sweep.UserKeyAsync(userId));
        }

        fixture.Clock.Advance(PastLink);
        var outcomes = new ConcurrentQueue<(string Kind, string Target, ExpiryOutcome Outcome)>();

        await Task.WhenAll(_sweep.Recording(outcomes).RunAsync(default), _sweep.Recording(outcomes).RunAsync(default));

        foreach (var user in users)
        {
            var mine = outcomes.Where(o => o.Kind == ExpiryKinds.Enrollment && o.Target == user).ToList();
            Assert.Equal(1, mine.Count(o => o.Outcome == ExpiryOutcome.Expired));
            Assert.All(mine.Where(o => o.Outcome != ExpiryOutcome.Expired), o => Assert.Equal(ExpiryOutcome.Gone, o.Outcome));
        }

        Assert.Equal(users.Count, users.Intersect(outcomes.Where(o => o.Kind == ExpiryKinds.Enrollment).Select(o => o.Target)).Count());
    }

    [Fact]
    public async Task ExpiryRacingTheFinalStep_EitherCompletesOrExpires_NeverBoth()
    {
        var handler = _sweep.Services.GetServices<IExpiryHandler>().Single(h => h.Kind == ExpiryKinds.Enrollment);
        for (var round = 0; round < 6; round++)
        {
            var (userId, _, cookie) = await _driver.StartAndOpenAsync();
            var app = await SetupDriver.JsonAsync(await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie));
            var code = new Totp(Base32Encoding.ToBytes(app.GetProperty("secret").GetString()!)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
            using var verified = await _driver.PostAsync("/api/setup/verify", cookie, new { code });
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            var pending = await _sweep.EnrollmentAsync(userId);
            var entry = new ExpiryEntry { Kind = ExpiryKinds.Enrollment, Table = Tables.Users, TargetPartitionKey = pending!.PartitionKey, TargetRowKey = EnrollmentEntity.Row };

            // The sweep sees the enrollment as due (its own clock is at the expiry) while the person finishes just in time.
            var complete = _driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
            var expire = handler.ExpireAsync(entry, pending.ExpiresAt, default);
            await Task.WhenAll(complete, expire);

            var status = await SetupDriver.JsonAsync(await _driver.Client.GetAsync($"/api/users/{userId}/two-factor"));
            var final = await _sweep.EnrollmentAsync(userId);
            if ((await complete).StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(ExpiryOutcome.Gone, await expire);
                Assert.True(status.GetProperty("enrolled").GetBoolean());
                Assert.Equal(EnrollmentStatus.Completed.ToWire(), final!.Status);
            }
            else
            {
                Assert.Equal(ExpiryOutcome.Expired, await expire);
                Assert.False(status.GetProperty("enrolled").GetBoolean());
                Assert.Equal(EnrollmentStatus.Expired.ToWire(), final!.Status);
                Assert.Null(final.EmergencyCodeHashes);
                Assert.Null(final.SeedCipher);
            }
        }
    }

    [Fact]
    public async Task OneMinuteHoldingMoreThanAPageOfEntries_IsSweptWhole()
    {
        const int count = 1005;
        var due = fixture.Clock.GetUtcNow().AddMinutes(1);
        var probe = await _sweep.Tables.GetAsync("SweepProbe");
        var index = await _sweep.Tables.GetAsync(ExpiryIndex.TableOf(ExpiryIndex.Bucket(due)));
        var partition = "p" + Guid.NewGuid().ToString("N");
        var rows = Enumerable.Range(0, count).Select(i => "r" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var chunk in rows.Chunk(100))
        {
            await probe.SubmitTransactionAsync(chunk.Select(rk => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, rk))));
            await index.SubmitTransactionAsync(chunk.Select(rk => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new ExpiryRow
            {
                PartitionKey = ExpiryIndex.Bucket(due),
                RowKey = ExpiryEntry.MakeRowKey(ExpiryKinds.Retention, "SweepProbe", partition, rk),
                Kind = ExpiryKinds.Retention,
                Table = "SweepProbe",
                TargetPartitionKey = partition,
                TargetRowKey = rk,
                DueAt = due,
            })));
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var outcomes = new ConcurrentQueue<(string Kind, string Target, ExpiryOutcome Outcome)>();
        var report = await _sweep.Recording(outcomes).RunAsync(default);

        // Our minute alone holds more than a page.
        Assert.True(report.PagesRead >= 2, $"{report.PagesRead} pages");
        Assert.Equal(count, outcomes.Count(o => o.Kind == ExpiryKinds.Retention && o.Target == partition && o.Outcome == ExpiryOutcome.Expired));
        Assert.Empty(await probe.QueryAsync<TableEntity>(RowRange.Partition(partition)).ToListAsync());
        var left = await index.QueryAsync<ExpiryRow>(RowRange.Partition(ExpiryIndex.Bucket(due))).ToListAsync();
        Assert.DoesNotContain(left, e => e.TargetPartitionKey == partition);
    }

    [Fact]
    public async Task EntryOfAKindWithNoHandlerYet_IsKeptInTheIndex()
    {
        var expiry = _sweep.Services.GetRequiredService<ExpiryIndex>();
        var target = "t" + Guid.NewGuid().ToString("N");
        var due = fixture.Clock.GetUtcNow().AddSeconds(5);
        var key = (Bucket: ExpiryIndex.Bucket(due), Row: ExpiryEntry.MakeRowKey("not-deployed-yet", "Elsewhere", target, "row"));
        await expiry.AddAsync("not-deployed-yet", "Elsewhere", target, "row", due, default);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var index = await _sweep.Tables.GetAsync(ExpiryIndex.TableOf(key.Bucket));
        try
        {
            var outcomes = await SweepAsync();

            // Handed to no handler, and left in the index for when one is deployed.
            Assert.DoesNotContain(outcomes, o => o.Target == target);
            Assert.True((await index.GetEntityIfExistsAsync<ExpiryRow>(key.Bucket, key.Row)).HasValue);
        }
        finally
        {
            // Let the cursor move on for the other tests of the collection.
            await index.DeleteEntityAsync(key.Bucket, key.Row);
        }
    }

    [Fact]
    public async Task EveryTableRequestOfTheSweep_IsBoundedByPartitionKey()
    {
        using var services = new SweepServices(fixture.StorageConnectionString, fixture.TablePrefix, fixture.Clock);
        var (opened, _, _) = await _driver.StartAndOpenAsync();
        var linkSent = SetupDriver.NewUserId();
        await _driver.StartAsync(new { userId = linkSent, phone = SetupDriver.NewPhone() });
        await services.Services.GetRequiredService<ExpiryIndex>().AddAsync(ExpiryKinds.Retention, "SweepProbe", "gone", "row", fixture.Clock.GetUtcNow(), default);
        fixture.Clock.Advance(PastSession);

        await services.Services.GetRequiredService<ExpirySweep>().RunAsync(default);

        // This test's two enrollments were expired by this run.
        Assert.Equal(EnrollmentStatus.Expired.ToWire(), (await _sweep.EnrollmentAsync(opened))!.Status);
        Assert.Equal(EnrollmentStatus.Expired.ToWire(), (await _sweep.EnrollmentAsync(linkSent))!.Status);
        Assert.NotEmpty(services.Log.Queries);
        Assert.Empty(services.Log.Unbounded);
        Assert.All(services.Log.Queries, q => Assert.Contains("PartitionKey", q.Filter));
    }

    [Theory]
    [InlineData("PartitionKey eq '202501011200'", true)]
    [InlineData("PartitionKey eq 'u1' and RowKey ge 'ec-' and RowKey lt 'ec-~'", true)]
    [InlineData("PartitionKey gt '202501011200' and PartitionKey le '202501011300'", true)]
    [InlineData("PartitionKey le '202501011300'", false)]
    [InlineData("DueAt le datetime'2025-01-01T12:00:00Z'", false)]
    [InlineData("PartitionKey eq 'a' or DueAt le datetime'2025-01-01T12:00:00Z'", false)]
    [InlineData(null, false)]
    public void RequestLog_TellsABoundedQueryFromATableScan(string? filter, bool bounded)
    {
        Assert.Equal(bounded, TableRequestLog.IsBounded(filter));
    }

    /// <summary>Runs the app's sweep with every handler's outcome recorded, so a test can find its own rows among everyone's.</summary>
    private async Task<List<(string Kind, string Target, ExpiryOutcome Outcome)>> SweepAsync()
    {
        var outcomes = new ConcurrentQueue<(string Kind, string Target, ExpiryOutcome Outcome)>();
        await _sweep.Recording(outcomes).RunAsync(default);
        return [.. outcomes];
    }

    private async Task AssertNotEnrolledAndExpiredAsync(string userId)
    {
        var status = await _driver.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{userId}/two-factor");
        Assert.False(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("expired", status.GetProperty("pendingEnrollment").GetProperty("status").GetString());
    }
}
