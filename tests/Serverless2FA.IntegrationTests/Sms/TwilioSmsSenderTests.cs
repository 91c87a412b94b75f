using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Fakes;

namespace Serverless2FA.IntegrationTests.Sms;

/// <summary>The real Twilio SDK, through <see cref="TwilioSmsSender"/> and the base-URL handler, against the stand-in.</summary>
public sealed class TwilioSmsSenderTests(TwilioStandIn twilio) : IClassFixture<TwilioStandIn>, IDisposable
{
    private const string From = "+15005550006";
    private static readonly Uri PublicBaseUrl = new("https://2fa.example.com/");

    private readonly CapturingLoggerProvider _logs = new();
    private readonly InstantTimeProvider _time = new();
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    private TwilioSmsSender NewSender(TwilioOptions? options = null, ISecretStore? secrets = null, SmsOptions? sms = null)
    {
        var twilioOptions = new TestOptionsMonitor<TwilioOptions>(options ?? new TwilioOptions
        {
            AccountSid = twilio.AccountSid,
            AuthToken = twilio.AuthToken,
            FromNumber = From,
            ApiBaseUrl = twilio.BaseUrl,
        });
        var http = new HttpClient(new TwilioApiBaseUrlHandler(twilioOptions) { InnerHandler = new SocketsHttpHandler() });
        var loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _disposables.Add(http);
        _disposables.Add(loggers);
        return new TwilioSmsSender(
            new OneClient(http),
            secrets ?? new DictionarySecretStore([]),
            twilioOptions,
            new TestOptionsMonitor<ServiceOptions>(new ServiceOptions { PublicBaseUrl = PublicBaseUrl }),
            new TestOptionsMonitor<SmsOptions>(sms ?? new SmsOptions()),
            _time,
            loggers.CreateLogger<TwilioSmsSender>());
    }

    private static SmsMessage Text(string to) => new(to, "Your code is 482913. It expires in 10 minutes.", "login-code");

    [Fact]
    public async Task Send_IsRecordedWithSenderBodyAndStatusCallback()
    {
        const string to = "+15551230101";

        var result = await NewSender().SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(SmsSendStatus.Sent, result.Status);
        var sent = Assert.Single(twilio.MessagesTo(to));
        Assert.Equal(sent.Sid, result.MessageSid);
        Assert.Matches("^SM[0-9a-f]{32}$", sent.Sid);
        Assert.Equal(From, sent.From);
        Assert.Null(sent.MessagingServiceSid);
        Assert.Equal(Text(to).Body, sent.Body);
        Assert.Equal("https://2fa.example.com/api/twilio/status", sent.StatusCallback);
        Assert.Null(sent.MaxPrice);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Send_WithMaxPrice_PassesItToTwilio()
    {
        const string to = "+15551230112";

        var result = await NewSender(sms: new SmsOptions { MaxPrice = 0.05m }).SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(SmsSendStatus.Sent, result.Status);
        Assert.Equal(0.05m, decimal.Parse(Assert.Single(twilio.MessagesTo(to)).MaxPrice!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Send_WithMessagingService_UsesItInsteadOfFrom()
    {
        const string to = "+15551230102";
        var sender = NewSender(new TwilioOptions
        {
            AccountSid = twilio.AccountSid,
            AuthToken = twilio.AuthToken,
            FromNumber = From,
            MessagingServiceSid = "MG00000000000000000000000000000001",
            ApiBaseUrl = twilio.BaseUrl,
        });

        var result = await sender.SendAsync(Text(to), CancellationToken.None);

        Assert.True(result.Succeeded);
        var sent = Assert.Single(twilio.MessagesTo(to));
        Assert.Equal("MG00000000000000000000000000000001", sent.MessagingServiceSid);
        Assert.Null(sent.From);
    }

    [Fact]
    public async Task Send_Throttled429Twice_IsRetriedWithGrowingBackoff_AndSentOnce()
    {
        const string to = "+15551230103";
        twilio.FailNext(to, status: 429, times: 2);

        var result = await NewSender().SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(SmsSendStatus.Sent, result.Status);
        Assert.Single(twilio.MessagesTo(to));
        Assert.Equal(3, twilio.AttemptsFor(to));
        Assert.Collection(
            _time.Delays,
            first => Assert.InRange(first, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)),
            second => Assert.InRange(second, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)));
    }

    [Fact]
    public async Task Send_ServerErrorsUntilRetriesRunOut_IsUnavailable()
    {
        const string to = "+15551230104";
        twilio.FailNext(to, status: 500, times: 10);

        var result = await NewSender().SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(SmsSendStatus.Unavailable, result.Status);
        Assert.Equal(3, twilio.AttemptsFor(to));
        Assert.Empty(twilio.MessagesTo(to));
        Assert.Equal(2, _time.Delays.Count);
    }

    [Fact]
    public async Task Send_ToOptedOutNumber_IsOptedOut_WithoutRetry()
    {
        const string to = "+15551230105";
        twilio.Reject(to, errorCode: 21610);

        var result = await NewSender().SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(new SmsSendResult(SmsSendStatus.OptedOut, ErrorCode: 21610), result);
        Assert.Equal(1, twilio.AttemptsFor(to));
    }

    [Fact]
    public async Task Send_ToInvalidNumber_IsInvalidNumber()
    {
        const string to = "+15551230106";
        twilio.Reject(to, errorCode: 21211);

        var result = await NewSender().SendAsync(Text(to), CancellationToken.None);

        Assert.Equal(new SmsSendResult(SmsSendStatus.InvalidNumber, ErrorCode: 21211), result);
        Assert.Equal(1, twilio.AttemptsFor(to));
    }

    [Fact]
    public async Task Send_WithWrongAuthToken_FailsClearly()
    {
        const string to = "+15551230107";
        var sender = NewSender(new TwilioOptions
        {
            AccountSid = twilio.AccountSid,
            AuthToken = "wrong",
            FromNumber = From,
            ApiBaseUrl = twilio.BaseUrl,
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(Text(to), CancellationToken.None));

        Assert.Contains("rejected the account credentials", failure.Message, StringComparison.Ordinal);
        Assert.Contains("20003", failure.Message, StringComparison.Ordinal);
        Assert.Empty(twilio.MessagesTo(to));
    }

    [Fact]
    public async Task Send_WithoutCredentialsInOptions_TakesThemFromTheSecretStore()
    {
        const string to = "+15551230108";
        var secrets = new DictionarySecretStore(new Dictionary<string, string>
        {
            [SecretNames.TwilioAccountSid] = twilio.AccountSid,
            [SecretNames.TwilioAuthToken] = twilio.AuthToken,
        });

        var result = await NewSender(new TwilioOptions { FromNumber = From, ApiBaseUrl = twilio.BaseUrl }, secrets)
            .SendAsync(Text(to), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Single(twilio.MessagesTo(to));
    }

    [Fact]
    public async Task Logs_NeverHoldTheFullNumberOrTheBody()
    {
        const string to = "+15551230109";
        var sender = NewSender();
        twilio.FailNext(to, status: 429, times: 1);
        await sender.SendAsync(Text(to), CancellationToken.None);
        const string rejected = "+15551230110";
        twilio.Reject(rejected, errorCode: 21211);
        await sender.SendAsync(Text(rejected), CancellationToken.None);

        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, line => line.Contains("+1 ••• ••• 0109", StringComparison.Ordinal));
        Assert.All(_logs.Lines, line =>
        {
            Assert.DoesNotContain("5551230109", line, StringComparison.Ordinal);
            Assert.DoesNotContain("5551230110", line, StringComparison.Ordinal);
            Assert.DoesNotContain("482913", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CoreRegistration_WithTwilioSettings_SendsThroughTheStandIn_FromOneSingletonSender()
    {
        const string to = "+15551230111";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PublicBaseUrl"] = PublicBaseUrl.ToString(),
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Twilio:AccountSid"] = twilio.AccountSid,
            ["Twilio:AuthToken"] = twilio.AuthToken,
            ["Twilio:FromNumber"] = From,
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl.ToString(),
            ["KeyVault:LocalFile"] = Path.Combine(Path.GetTempPath(), "s2fa-" + Guid.NewGuid().ToString("N"), "secrets.json"),
        });
        builder.Services.AddLogging();
        builder.AddServerless2FACore();
        await using var provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var sender = provider.GetRequiredService<ISmsSender>();
        var first = await sender.SendAsync(Text(to), CancellationToken.None);
        var second = await sender.SendAsync(Text(to), CancellationToken.None);

        Assert.IsType<TwilioSmsSender>(sender);
        Assert.Same(sender, provider.GetRequiredService<ISmsSender>());
        Assert.Equal("file", provider.GetRequiredService<ISecretStore>().Kind);
        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(2, twilio.MessagesTo(to).Count);
    }

    /// <summary>The factory a test hands the sender: its one client, through the base-URL handler.</summary>
    private sealed class OneClient(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name)
            => name == TwilioSmsSender.HttpClientName ? client : throw new InvalidOperationException($"No client named {name}.");
    }

    private sealed class DictionarySecretStore(Dictionary<string, string> secrets) : ISecretStore
    {
        public string Kind => "test";

        public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
            => Task.FromResult(secrets.GetValueOrDefault(name));
    }
}
