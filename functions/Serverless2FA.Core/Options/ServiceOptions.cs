using System.ComponentModel.DataAnnotations;

namespace Serverless2FA.Core.Options;

/// <summary>Top-level settings (no section).</summary>
public sealed class ServiceOptions
{
    public const string Section = "";

    /// <summary>Origin used in texted links and to validate Twilio signatures.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>Six-field CRON of the expiry timer; read by the Functions host as %ExpirySchedule%.</summary>
    [Required]
    public string ExpirySchedule { get; set; } = "0 * * * * *";

    public const int MaxIssuerLength = 16;

    /// <summary>Name shown in authenticator apps and at the start of every text.</summary>
    [Required]
    [StringLength(MaxIssuerLength, MinimumLength = 1)]
    public string Issuer { get; set; } = "Serverless2FA";
}
