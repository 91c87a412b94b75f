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
    [InlineData("PublicBaseUrl", "https://2fa.example.com/some/path", "PublicBaseUrl")]
    [InlineData("PublicBaseUrl", "https://a-very-long-host-name-that-makes-every-texted-link-too-long.example.com", "64 characters")]
    [InlineData("Issuer", "An issuer name far too long for a text", "Issuer")]
    [InlineData("Storage:TablePrefix", "has-dashes", "Storage:TablePrefix")]
    [InlineData("Verification:MaxAttempts", "0", "Verification:MaxAttempts")]
    [InlineData("Expiry:Parallelism", "0", "Expiry:Parallelism")]
    [InlineData("Sms:PerUserPerHour", "0", "Sms:PerUserPerHour")]
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
            ["Twilio:FromNumber"] = "+15005550006",
        });

        builder.AddServerless2FA();
        using var host = builder.Build();

        // UseMiddleware registers the middleware it will resolve per invocation; only the worker path does.
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(HttpFilterMiddleware));
        Assert.NotNull(host.Services.GetRequiredService<HttpFilterMiddleware>());
        Assert.NotNull(host.Services.GetRequiredService<FunctionExecutionDelegate>());
        // Outermost first: security headers, then faults, then the Twilio signature.
        Assert.Equal([typeof(SecurityHeadersFilter), typeof(FaultFilter), typeof(TwilioSignatureFilter)], host.Services.GetServices<IHttpFunctionFilter>().Select(f => f.GetType()));
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

    private static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServerless2FA();
        return builder.Build();
    }
}
