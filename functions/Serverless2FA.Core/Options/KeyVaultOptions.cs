namespace Serverless2FA.Core.Options;

/// <summary>Key Vault holding the app's secrets; unset means the local secret file.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "KeyVault";

    public Uri? Uri { get; set; }

    /// <summary>How long a secret read from Key Vault is cached in memory.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Where the local secret file lives when <see cref="Uri"/> is unset.</summary>
    public string LocalFile { get; set; } = ".local/secrets.json";
}
