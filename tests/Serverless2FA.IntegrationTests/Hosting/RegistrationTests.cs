using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;
using Serverless2FA.Functions;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.IntegrationTests.Hosting;

/// <summary>
/// The one registration both hosts call: what it chooses from the settings, what it refuses at start-up (naming the
/// setting), and that the Functions worker's own builder gets the same services and the filter middleware.
/// </summary>
public sealed class RegistrationTests
{
    private static readonly string LocalFile = Path.Combine(Path.GetTempPath(), "s2fa-registration", Guid.NewGuid().ToString("N"), "secrets.json");

    [Fact]
    public async Task OutsideDevelopment_WithoutKeyVault_RefusesToStart()
    {
        using var host = Build(Environments.Production, new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("KeyVault:Uri", error.Message);
        Assert.True(error is OptionsValidationException or AggregateException);
    }

    [Fact]
    public async Task InDevelopment_WithoutKeyVault_StartsOnTheLocalSecretFile_AndTheOutbox()
    {
        using var host = Build(Environments.Development, new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:LocalFile"] = LocalFile,
        });

        await host.StartAsync();
        await host.StopAsync();

        Assert.IsType<FileSecretStore>(host.Services.GetRequiredService<ISecretStore>());
        Assert.Equal(OutboxSmsSender.ModeName, host.Services.GetRequiredService<ISmsSender>().Mode);
    }

    [Fact]
    public void WithKeyVault_SecretsComeFromTheVault_AndTextsGoThroughTwilio()
    {
        using var host = Build(Environments.Production, new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:Uri"] = "https://s2fa-test.vault.azure.net/",
            ["Twilio:FromNumber"] = "+15005550006",
        });

        // Resolving reads nothing yet: the vault is asked on first use.
        Assert.IsType<KeyVaultSecretStore>(host.Services.GetRequiredService<ISecretStore>());
        Assert.Equal(TwilioSmsSender.ModeName, host.Services.GetRequiredService<ISmsSender>().Mode);
    }

    [Theory]
    [InlineData("PublicBaseUrl", "http://2fa.example.com", "PublicBaseUrl must be https")]
    [InlineData("Events:WebhookUrl", "http://app.example.com/hooks/2fa", "Events:WebhookUrl must be an https URL")]
    [InlineData("Events:WebhookUrl", "not a url", "Events:WebhookUrl must be an https URL")]
    public async Task OutsideDevelopment_AnHttpAddress_RefusesToStart_NamingTheSetting(string key, string value, string named)
    {
        using var host = Build(Environments.Production, ProductionSettings(new() { [key] = value }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task OutsideDevelopment_HttpsAddresses_Start()
    {
        using var host = Build(Environments.Production, ProductionSettings(new() { ["Events:WebhookUrl"] = "https://app.example.com/hooks/2fa" }));

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task InDevelopment_HttpAddresses_Start()
    {
        using var host = Build(Environments.Development, new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:LocalFile"] = Path.Combine(Path.GetTempPath(), "s2fa-registration", Guid.NewGuid().ToString("N"), "secrets.json"),
            ["PublicBaseUrl"] = "http://localhost:7071",
            ["Events:WebhookUrl"] = "http://localhost:5000/hooks/2fa",
        });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("PublicBaseUrl", "https://2fa.example.com/some/path", "PublicBaseUrl")]
    [InlineData("PublicBaseUrl", "https://a-very-long-host-name-that-makes-every-texted-link-too-long.example.com", "64 characters")]
    [InlineData("Issuer", "An issuer name far too long for a text", "Issuer")]
    [InlineData("Storage:TablePrefix", "has-dashes", "Storage:TablePrefix")]
    [InlineData("Verification:MaxAttempts", "0", "Verification:MaxAttempts")]
    [InlineData("Expiry:Parallelism", "0", "Expiry:Parallelism")]
    [InlineData("Sms:PerUserPerHour", "0", "Sms:PerUserPerHour")]
    [InlineData("Sms:EnrollmentPerNumberPerHour", "0", "Sms:EnrollmentPerNumberPerHour")]
    [InlineData("Sms:PerDay", "-1", "Sms:PerDay")]
    [InlineData("Sms:PumpingMinConversion", "1.5", "Sms:PumpingMinConversion")]
    [InlineData("Sms:PumpingWindow", "00:10:00", "Sms:PumpingWindow")]
    [InlineData("Sms:MaxPrice", "0", "Sms:MaxPrice")]
    [InlineData("Events:WebhookUrl", "ftp://app.example.com/hooks", "Events:WebhookUrl")]
    [InlineData("Events:RetryFor", "00:00:00", "Events:RetryFor")]
    [InlineData("Events:Queue", "Events_Queue", "Events:Queue")]
    [InlineData("Events:Queue", "a-queue-name-so-long-that-its-poison-queue-would-be-too-long", "Events:Queue")]
    [InlineData("Storage:RequestBudget", "00:00:00", "Storage:RequestBudget")]
    [InlineData("Twilio:SendBudget", "00:10:00", "Twilio:SendBudget")]
    public async Task BadSetting_RefusesToStart_NamingIt(string key, string value, string named)
    {
        using var host = Build(Environments.Development, new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [key] = value,
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void EveryService_CanBeBuilt_AndOursAreRegisteredOnce()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        // Every setting that brings a service into play (the vault's store, Twilio's sender) is given, so each can be built.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:Uri"] = "https://s2fa-test.vault.azure.net/",
            ["KeyVault:LocalFile"] = LocalFile,
            ["Twilio:FromNumber"] = "+15005550006",
        });
        builder.Services.AddLogging();

        builder.AddServerless2FA();

        Type[] many = [typeof(IHttpFunctionFilter), typeof(IExpiryHandler), typeof(IDeliveryReportHandler)];
        // Every one of ours can be constructed, and none holds a scoped service.
        using var provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        foreach (var type in builder.Services.Select(d => d.ServiceType).Where(t => t.Namespace?.StartsWith("Serverless2FA", StringComparison.Ordinal) == true).Distinct())
        {
            Assert.NotEmpty(provider.GetServices(type));
        }

        var ours = builder.Services
            .Where(d => d.ServiceType == typeof(TimeProvider) || d.ServiceType.Namespace?.StartsWith("Serverless2FA", StringComparison.Ordinal) == true)
            .Where(d => !many.Contains(d.ServiceType))
            .GroupBy(d => d.ServiceType)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key.Name);
        Assert.Empty(ours);
        // Services hold no per-request state; only an HTTP handler is made fresh for each handler chain the factory builds.
        Assert.All(builder.Services.Where(d => d.ServiceType.Namespace?.StartsWith("Serverless2FA", StringComparison.Ordinal) == true && !d.ServiceType.IsSubclassOf(typeof(DelegatingHandler))),
            d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
    }

    [Fact]
    public void FunctionsWorkerBuilder_GetsTheServices_AndRunsTheFiltersAsMiddleware()
    {
        // As in Azure: Production, with the vault.
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:Uri"] = "https://s2fa-test.vault.azure.net/",
            ["PublicBaseUrl"] = "https://2fa.example.com",
            ["Twilio:FromNumber"] = "+15005550006",
        });

        builder.AddServerless2FA();
        using var host = builder.Build();

        // UseMiddleware registers the middleware it will resolve per invocation; only the worker path does.
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(HttpFilterMiddleware));
        Assert.NotNull(host.Services.GetRequiredService<HttpFilterMiddleware>());
        Assert.NotNull(host.Services.GetRequiredService<FunctionExecutionDelegate>());
        // Outermost first: security headers, then faults, then same-origin, then the Twilio signature.
        Assert.Equal([typeof(SecurityHeadersFilter), typeof(FaultFilter), typeof(SameOriginFilter), typeof(TwilioSignatureFilter)], host.Services.GetServices<IHttpFunctionFilter>().Select(f => f.GetType()));
        Assert.Equal(Environments.Production, builder.Environment.EnvironmentName);
        Assert.IsType<KeyVaultSecretStore>(host.Services.GetRequiredService<ISecretStore>());
        // Its settings are checked at start-up as on the local host.
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void FunctionsWorkerBuilder_WithABadSetting_FailsItsStartupValidation_NamingIt()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["Storage:TablePrefix"] = "has-dashes" });

        builder.AddServerless2FA();
        using var host = builder.Build();

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Storage:TablePrefix", error.Message);
    }

    [Fact]
    public async Task EventsWithManagedIdentityStorage_WithoutAQueueEndpoint_RefuseToStart_NamingIt()
    {
        var settings = ProductionSettings(new() { ["Events:WebhookUrl"] = "https://app.example.com/hooks/2fa" });
        settings.Remove("Storage:ConnectionString");
        settings["Storage:TableServiceUri"] = "https://st.table.core.windows.net/";
        using var host = Build(Environments.Production, settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Storage:QueueServiceUri", error.Message);
    }

    private static Dictionary<string, string?> ProductionSettings(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:Uri"] = "https://s2fa-test.vault.azure.net/",
            ["PublicBaseUrl"] = "https://2fa.example.com",
            ["Twilio:FromNumber"] = "+15005550006",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServerless2FA();
        return builder.Build();
    }
}
