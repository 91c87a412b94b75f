using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Serverless2FA.IntegrationTests.Fakes;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// The whole service as a relying app and Twilio see it: the local host in-process, real Azurite, and
/// texts sent by the real Twilio SDK to the Twilio stand-in. The clock can be moved forward.
/// </summary>
public class ServiceFixture : LocalHostFixture, IServiceFixture
{
    private readonly string _secretsFile = Path.Combine(Path.GetTempPath(), "s2fa-tests", Guid.NewGuid().ToString("N"), "secrets.json");

    public TwilioStandIn Twilio { get; } = new();

    public ShiftableTimeProvider Clock { get; } = new();

    /// <summary>Every log line the host writes, to check that none holds a phone, code, token or secret.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    ICapturedLogs IServiceFixture.Logs => Logs;

    /// <summary>How much of a marked request's body the host read.</summary>
    public BodyReadProbe BodyReads { get; } = new();

    public const string FromNumber = "+15005550006";

    public override async Task InitializeAsync()
    {
        await Twilio.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Twilio.DisposeAsync();
        var folder = Path.GetDirectoryName(_secretsFile)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A client that neither follows redirects nor keeps cookies, so tests see each answer as sent.</summary>
    public HttpClient NewClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Twilio:AccountSid"] = Twilio.AccountSid;
        settings["Twilio:AuthToken"] = Twilio.AuthToken;
        settings["Twilio:FromNumber"] = FromNumber;
        settings["Twilio:ApiBaseUrl"] = Twilio.BaseUrl.ToString();
        settings["KeyVault:LocalFile"] = _secretsFile;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
        => builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<IStartupFilter>(BodyReads);
        });
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "Service";
}
