using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Serverless2FA.Functions;

namespace Serverless2FA.IntegrationTests.Hosting;

/// <summary>What the one registration both hosts call refuses at start-up, naming the setting.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task OutsideDevelopment_WithoutKeyVault_RefusesToStart()
    {
        using var host = Build(Environments.Production, new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("KeyVault:Uri", error.Message);
        Assert.True(error is Microsoft.Extensions.Options.OptionsValidationException or AggregateException);
    }

    [Fact]
    public async Task InDevelopment_WithoutKeyVault_Starts()
    {
        using var host = Build(Environments.Development, new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["KeyVault:LocalFile"] = Path.Combine(Path.GetTempPath(), "s2fa-registration", Guid.NewGuid().ToString("N"), "secrets.json"),
        });

        await host.StartAsync();
        await host.StopAsync();
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
    [InlineData("Events:WebhookUrl", "ftp://app.example.com/hooks", "Events:WebhookUrl")]
    [InlineData("Events:RetryFor", "00:00:00", "Events:RetryFor")]
    [InlineData("Events:Queue", "Events_Queue", "Events:Queue")]
    [InlineData("Events:Queue", "a-queue-name-so-long-that-its-poison-queue-would-be-too-long", "Events:Queue")]
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
