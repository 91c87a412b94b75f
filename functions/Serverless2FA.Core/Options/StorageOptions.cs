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
}
