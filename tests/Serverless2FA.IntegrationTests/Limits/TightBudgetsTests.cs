using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Limits;

/// <summary>The whole service with small region and daily budgets, so tests can reach them.</summary>
public sealed class TightBudgetsFixture : ServiceFixture
{
    public const int PerCountryPerHour = 3;
    public const int PerDay = 7;

    /// <summary>
    /// Moves the clock a day on (a fresh day's and hour's budgets for the test), and on past the hour when the hour
    /// is nearly over, so the test's sends share one clock hour and one day.
    /// </summary>
    public void StartFreshDay()
    {
        Clock.Advance(TimeSpan.FromDays(1));
        var now = Clock.GetUtcNow();
        var toNextHour = TimeSpan.FromHours(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerHour);
        var toNextDay = TimeSpan.FromDays(1) - now.TimeOfDay;
        if (toNextDay < TimeSpan.FromHours(3))
        {
            Clock.Advance(toNextDay + TimeSpan.FromMinutes(1));
        }
        else if (toNextHour < TimeSpan.FromMinutes(10))
        {
            Clock.Advance(toNextHour + TimeSpan.FromMinutes(1));
        }
    }

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Sms:PerCountryPerHour"] = PerCountryPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Sms:PerDay"] = PerDay.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class TightBudgetsCollection : ICollectionFixture<TightBudgetsFixture>
{
    public const string Name = "TightBudgets";
}

/// <summary>The per-region and daily budgets, reached through the HTTP API.</summary>
[Collection(TightBudgetsCollection.Name)]
public sealed class TightBudgetsTests(TightBudgetsFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);
    private static int _canadian;

    [Fact]
    public async Task RegionBudget_CountsUsAndCanadaApart_AndLogInCodesApart()
    {
        fixture.StartFreshDay();
        // An SMS user (two US enrollment texts) and one more start use up the US enrollment budget of three.
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        using (var third = await StartAsync(SetupDriver.NewPhone()))
        {
            Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        }

        using var fourth = await StartAsync(SetupDriver.NewPhone());
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.True(fourth.Headers.RetryAfter?.Delta <= TimeSpan.FromHours(1));

        // Canada (also +1) has its own budget, and US log-in codes theirs.
        using var canada = await StartAsync(CanadianPhone());
        Assert.Equal(HttpStatusCode.Accepted, canada.StatusCode);
        using var login = await user.StartAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task ParallelStarts_AtTheRegionBudget_SendExactlyIt_AndTheRefusedUseUpNoDailySlot()
    {
        fixture.StartFreshDay();
        var phones = Enumerable.Range(0, 12).Select(_ => SetupDriver.NewPhone()).ToList();

        var responses = await Task.WhenAll(phones.Select(StartAsync));

        Assert.Equal(TightBudgetsFixture.PerCountryPerHour, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(12 - TightBudgetsFixture.PerCountryPerHour, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(TightBudgetsFixture.PerCountryPerHour, phones.Sum(p => fixture.Twilio.MessagesTo(p).Count));

        // The day has 7: the nine refused took none of them, so the next hour's three and one Canadian text all go.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        foreach (var phone in new[] { SetupDriver.NewPhone(), SetupDriver.NewPhone(), SetupDriver.NewPhone(), CanadianPhone() })
        {
            using var ok = await StartAsync(phone);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var overDay = await StartAsync(CanadianPhone());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, overDay.StatusCode);
    }

    [Fact]
    public async Task DailyCap_Answers503UntilTomorrow_AndLogsOneErrorNamingTheBudget()
    {
        fixture.StartFreshDay();
        var linesBefore = fixture.Logs.Lines.Count;
        var sent = 0;
        foreach (var phone in Enumerable.Range(0, 3).Select(_ => SetupDriver.NewPhone()).Concat(Enumerable.Range(0, 3).Select(_ => CanadianPhone())).Append("+447400123" + Unique3()))
        {
            using var ok = await StartAsync(phone);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
            sent++;
        }

        Assert.Equal(TightBudgetsFixture.PerDay, sent);
        var refused = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StartAsync("+447400123" + Unique3())));

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero && r.Headers.RetryAfter.Delta <= TimeSpan.FromDays(1)));
        var errors = fixture.Logs.Lines.Skip(linesBefore).Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.Contains("Sms:PerDay", Assert.Single(errors), StringComparison.Ordinal);

        // Another refusal the same day logs nothing more.
        using var again = await StartAsync("+447400123" + Unique3());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Single(fixture.Logs.Lines.Skip(linesBefore), l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> StartAsync(string phone) => _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });

    /// <summary>A Toronto number, each in its own block.</summary>
    private static string CanadianPhone() => "+1416" + (200 + Interlocked.Increment(ref _canadian)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "5123";

    private static string Unique3() => (100 + Interlocked.Increment(ref _canadian) % 900).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
