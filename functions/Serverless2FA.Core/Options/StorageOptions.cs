namespace Serverless2FA.Core.Options;

/// <summary>Table Storage: a connection string (Azurite, local) or a service URI reached with managed identity.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix for table names, so several test runs can share one Azurite.</summary>
    public string TablePrefix { get; set; } = "s2fa";

    /// <summary>
    /// The longest one call to Table Storage (or Key Vault), with its retries, may take before it fails and the request
    /// answers 503 with Retry-After. See <see cref="RetryBudget"/>.
    /// </summary>
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromSeconds(10);
}
