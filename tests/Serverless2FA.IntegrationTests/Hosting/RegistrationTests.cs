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
    [InlineData("PublicBaseUrl", "https://2fa.example.com/some/path", "PublicBaseUrl")]
    [InlineData("PublicBaseUrl", "https://a-very-long-host-name-that-makes-every-texted-link-too-long.example.com", "64 characters")]
    [InlineData("Issuer", "An issuer name far too long for a text", "Issuer")]
    [InlineData("Storage:TablePrefix", "has-dashes", "Storage:TablePrefix")]
    [InlineData("Verification:MaxAttempts", "0", "Verification:MaxAttempts")]
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

    private static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServerless2FA();
        return builder.Build();
    }
}
