using Serverless2FA.Core.Options;

namespace Serverless2FA.InfraTests;

[Collection(InfraCollection.Name)]
public sealed class SettingsDriftTests(InfraFixture infra)
{
    private static readonly IReadOnlyList<string> BoundSettings = OptionsSettings.In(typeof(ServiceOptions).Assembly);

    [Fact]
    public void EverySettingTheAppBinds_ReachesItInAzure()
    {
        var unprovided = SettingsDrift.Unprovided(infra.Template.FunctionAppSettingNames(), BoundSettings);

        Assert.True(
            unprovided.Count == 0,
            "These settings are bound by an options class but not set by infra/app/function-app.bicep, "
            + "nor listed as a Key Vault secret or local-only in SettingsDrift.cs: " + string.Join(", ", unprovided));
    }

    [Fact]
    public void Drift_WhenTheTemplateLosesASetting_NamesIt()
    {
        var settings = infra.Template.FunctionAppSettingNames().ToHashSet(StringComparer.Ordinal);
        Assert.True(settings.Remove("Verification__MaxAttempts"));

        var unprovided = SettingsDrift.Unprovided(settings, BoundSettings);

        Assert.Equal(["Verification__MaxAttempts"], unprovided);
    }

    [Fact]
    public void Drift_WhenTheAppBindsANewSetting_NamesIt()
    {
        var unprovided = SettingsDrift.Unprovided(
            infra.Template.FunctionAppSettingNames(),
            BoundSettings.Append("Sms__PerContinentPerHour"));

        Assert.Equal(["Sms__PerContinentPerHour"], unprovided);
    }

    // Guards the reflection itself: if it found nothing, the drift check would pass vacuously.
    [Theory]
    [InlineData("PublicBaseUrl")]
    [InlineData("ExpirySchedule")]
    [InlineData("Storage__TableServiceUri")]
    [InlineData("Twilio__AuthToken")]
    [InlineData("Verification__MaxAttempts")]
    [InlineData("Sms__AllowedCountries")]
    public void Reflection_FindsSettingsOfEveryShape(string setting)
    {
        Assert.Contains(setting, BoundSettings);
    }

    [Fact]
    public void Reflection_SkipsReadOnlyProperties()
    {
        Assert.DoesNotContain("Twilio__HasCredentials", BoundSettings);
    }

    [Fact]
    public void DocumentedExceptions_AreStillSettingsTheAppBinds()
    {
        var stale = SettingsDrift.KeyVaultSecrets.Keys
            .Concat(SettingsDrift.LocalOnly.Keys)
            .Where(setting => !BoundSettings.Contains(setting))
            .ToList();

        Assert.Empty(stale);
    }

    [Fact]
    public void ReadmeDeploySection_TellsHowToSetEveryKeyVaultSecret()
    {
        var guide = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md"));
        var secrets = SettingsDrift.KeyVaultSecrets.Values.Concat(["data-keys", "lookup-key", "events-signing-secret"]);

        foreach (var secret in secrets)
        {
            Assert.Contains($"--name {secret}", guide, StringComparison.Ordinal);
        }
    }
}
