namespace Serverless2FA.InfraTests;

/// <summary>
/// Every setting the app binds must reach it in Azure by exactly one documented route:
/// an app setting in the Bicep, a Key Vault secret the app reads itself, or not at all
/// because it only means something on a developer's machine.
/// </summary>
internal static class SettingsDrift
{
    /// <summary>Settings that are Key Vault secrets (README.md, "Deploy to Azure", says how to set them), never app settings.</summary>
    public static readonly IReadOnlyDictionary<string, string> KeyVaultSecrets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Twilio__AccountSid"] = "twilio-account-sid",
        ["Twilio__AuthToken"] = "twilio-auth-token",
    };

    /// <summary>Settings used only outside Azure, each with the reason it has no app setting.</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalOnly = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Storage__ConnectionString"] = "Azurite on a laptop and in CI; Azure reaches tables with Storage__TableServiceUri and the managed identity.",
        ["KeyVault__LocalFile"] = "the local secret file used when KeyVault__Uri is unset; Azure always sets KeyVault__Uri.",
    };

    /// <summary>The settings the app binds that reach it by no documented route, in order.</summary>
    public static IReadOnlyList<string> Unprovided(IReadOnlySet<string> appSettings, IEnumerable<string> boundSettings) =>
        boundSettings
            .Where(setting => !appSettings.Contains(setting)
                && !KeyVaultSecrets.ContainsKey(setting)
                && !LocalOnly.ContainsKey(setting))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
