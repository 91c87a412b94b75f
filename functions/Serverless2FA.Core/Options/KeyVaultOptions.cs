using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <param name="development">
    /// Outside Development the keys must come from Key Vault: a generated file on an instance's disk would be lost
    /// with the instance, and every encrypted phone and seed with it.
    /// </param>
    internal static OptionsBuilder<KeyVaultOptions> Bind(IServiceCollection services, bool development)
        => services.AddOptions<KeyVaultOptions>().BindConfiguration(Section)
            .Validate(o => o.CacheTtl > TimeSpan.Zero, "KeyVault:CacheTtl must be positive.")
            .Validate(o => o.Uri is not null || !string.IsNullOrWhiteSpace(o.LocalFile), "Set KeyVault:Uri or KeyVault:LocalFile.")
            .Validate(o => development || o.Uri is not null, "KeyVault:Uri is required outside Development (the local secret file is for a laptop only).")
            .ValidateOnStart();
}
