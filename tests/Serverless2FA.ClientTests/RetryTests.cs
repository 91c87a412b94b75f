using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Client;
using Serverless2FA.ClientTests.Infrastructure;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests;

/// <summary>
/// Real 503s and 429s with <c>Retry-After</c>: from a stand-in server in front of the service, and from the service
/// itself when Twilio fails. Calls that are safe to repeat are retried after exactly the <c>Retry-After</c>; the
/// others surface the problem at once.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class RetryTests(ClientFixture fixture) : IAsyncLifetime
{
    private FlakyStandIn _standIn = null!;
    private IServerless2FAClient _client = null!;

    public async Task InitializeAsync()
    {
        _standIn = await FlakyStandIn.StartAsync(fixture.Factory.Server.CreateHandler(), fixture.Factory.Server.BaseAddress);
        _client = fixture.NewClient(_standIn.BaseUrl).GetRequiredService<IServerless2FAClient>();
    }

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    [Fact]
    public async Task Status_After503s_IsRetried_AfterTheirRetryAfter()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var path = $"/api/users/{user.UserId}/two-factor";
        _standIn.FailNext(path, 503, retryAfterSeconds: 1, times: 2);

        var status = await _client.GetTwoFactorStatusAsync(user.UserId);

        Assert.True(status.Enrolled);
        Assert.Equal(3, _standIn.RequestsTo(path));
        var retries = fixture.ClientLogs.Lines.Where(l => l.Contains(path, StringComparison.Ordinal) && l.Contains("retrying", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, line => Assert.Contains("Delay=00:00:01", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartEnrollment_After429WithAShortRetryAfter_IsRetried()
    {
        var phone = SetupDriver.NewPhone();
        _standIn.FailNext("/api/enrollments", 429, retryAfterSeconds: 1);

        var started = await _client.StartEnrollmentAsync(new StartEnrollmentRequest(SetupDriver.NewUserId()) { Phone = phone });

        Assert.IsType<EnrollmentStart.LinkSent>(started);
        Assert.Single(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task StartVerification_After503_IsRetried()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        _standIn.FailNext("/api/verifications", 503, retryAfterSeconds: 1);

        var start = await _client.StartVerificationAsync(user.UserId);

        Assert.IsType<VerificationStart.Required>(start);
        Assert.Equal(2, _standIn.RequestsTo("/api/verifications"));
    }

    [Fact]
    public async Task Check_After503_IsNotRetried_AndThrowsTheProblem_AndTheVerificationStillWorks()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await _client.StartVerificationAsync(user.UserId);
        var path = $"/api/verifications/{start.VerificationId}/check";
        _standIn.FailNext(path, 503, retryAfterSeconds: 1);

        var error = await Assert.ThrowsAsync<Serverless2FAProblemException>(() => _client.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode()));
        var after = await _client.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode());

        Assert.Equal(503, error.Status);
        Assert.Equal(ProblemCodes.Unavailable, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal(2, _standIn.RequestsTo(path));
        Assert.IsType<VerificationCheck.Approved>(after);
    }

    [Fact]
    public async Task StartEnrollment_WithAStepUp_IsNotRetried()
    {
        _standIn.FailNext("/api/enrollments", 503, retryAfterSeconds: 1);
        var before = _standIn.RequestsTo("/api/enrollments");

        var error = await Assert.ThrowsAsync<Serverless2FAProblemException>(
            () => _client.StartEnrollmentAsync(new StartEnrollmentRequest(SetupDriver.NewUserId()) { Phone = SetupDriver.NewPhone(), StepUp = "ver_anything" }));

        Assert.Equal(503, error.Status);
        Assert.Equal(before + 1, _standIn.RequestsTo("/api/enrollments"));
    }

    [Fact]
    public async Task ARetryAfterLongerThanMaxRetryAfter_IsNotWaitedFor()
    {
        var userId = SetupDriver.NewUserId();
        var path = $"/api/users/{userId}/two-factor/audit";
        _standIn.FailNext(path, 503, retryAfterSeconds: 120);

        var error = await Assert.ThrowsAsync<Serverless2FAProblemException>(() => _client.GetTwoFactorAuditAsync(userId));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(1, _standIn.RequestsTo(path));
    }

    [Fact]
    public async Task TwilioDown_TheService503_IsCodeNotSent_WithTheVerificationThatStillTakesAnEmergencyCode()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var attempts = fixture.Twilio.AttemptsFor(user.Phone);
        fixture.Twilio.FailNext(user.Phone, 500, times: 3);

        var start = await fixture.Service.StartVerificationAsync(user.UserId);

        var notSent = Assert.IsType<VerificationStart.CodeNotSent>(start);
        Assert.Equal(503, notSent.Problem.Status);
        Assert.NotNull(notSent.Problem.RetryAfter);
        // The service's own three tries; its Retry-After is longer than the client waits, so the client did not repeat.
        Assert.Equal(attempts + 3, fixture.Twilio.AttemptsFor(user.Phone));
        var check = await fixture.Service.CheckVerificationAsync(notSent.VerificationId!, user.UserId, user.EmergencyCodes[0]);
        Assert.True(Assert.IsType<VerificationCheck.Approved>(check).UsedEmergencyCode);
    }

    [Fact]
    public async Task AnUnreachableService_IsUnavailable()
    {
        await using var gone = await FlakyStandIn.StartAsync(fixture.Factory.Server.CreateHandler(), fixture.Factory.Server.BaseAddress);
        var address = gone.BaseUrl;
        await gone.DisposeAsync();
        var client = fixture.NewClient(address, configure: o => o.MaxRetries = 1).GetRequiredService<IServerless2FAClient>();

        await Assert.ThrowsAsync<Serverless2FAUnavailableException>(() => client.GetTwoFactorStatusAsync(SetupDriver.NewUserId()));
    }
}
