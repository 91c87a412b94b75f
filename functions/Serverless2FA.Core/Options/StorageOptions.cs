using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Table and Queue Storage: a connection string (Azurite, local) or service URIs reached with managed identity.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>The queue endpoint (events) when no connection string is set; the Functions host's queue trigger reads it too (connection "Storage").</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Prefix for table names, so several test runs can share one Azurite.</summary>
    public string TablePrefix { get; set; } = "s2fa";

    /// <summary>
    /// The longest one call to Table Storage, Queue Storage (or Key Vault), with its retries, may take before it fails and the request
    /// answers 503 with Retry-After. See <see cref="RetryBudget"/>.
    /// </summary>
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromSeconds(10);

    internal static OptionsBuilder<StorageOptions> Bind(IServiceCollection services)
        => services.AddOptions<StorageOptions>().BindConfiguration(Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableServiceUri is not null, "Set Storage:ConnectionString (or Storage:TableServiceUri and Storage:QueueServiceUri with a managed identity).")
            .Validate(o => o.TablePrefix.All(char.IsAsciiLetterOrDigit) && o.TablePrefix.Length is > 0 and <= 20, "Storage:TablePrefix must be 1-20 letters or digits.")
            .Validate(o => o.RequestBudget >= TimeSpan.FromSeconds(1) && o.RequestBudget <= TimeSpan.FromMinutes(2), "Storage:RequestBudget must be between 00:00:01 and 00:02:00.")
            .ValidateOnStart();
}
