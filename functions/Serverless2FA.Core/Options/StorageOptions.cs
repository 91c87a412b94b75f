using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Table Storage: a connection string (Azurite, local) or a service URI reached with managed identity.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix for table names, so several test runs can share one Azurite.</summary>
    public string TablePrefix { get; set; } = "s2fa";

    internal static OptionsBuilder<StorageOptions> Bind(IServiceCollection services)
        => services.AddOptions<StorageOptions>().BindConfiguration(Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableServiceUri is not null, "Set Storage:ConnectionString (or Storage:TableServiceUri with a managed identity).")
            .Validate(o => o.TablePrefix.All(char.IsAsciiLetterOrDigit) && o.TablePrefix.Length is > 0 and <= 20, "Storage:TablePrefix must be 1-20 letters or digits.")
            .ValidateOnStart();
}
