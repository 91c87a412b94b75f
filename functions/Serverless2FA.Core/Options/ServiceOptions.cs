using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Top-level settings (no section).</summary>
public sealed class ServiceOptions
{
    public const string Section = "";

    /// <summary>Origin used in texted links and to validate Twilio signatures.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>Six-field CRON of the expiry timer; read by the Functions host as %ExpirySchedule%.</summary>
    public string ExpirySchedule { get; set; } = "0 * * * * *";

    public const int MaxIssuerLength = 16;

    /// <summary>Name shown in authenticator apps and at the start of every text.</summary>
    public string Issuer { get; set; } = "Serverless2FA";

    /// <summary>Binds the top-level settings and refuses to start when one is unusable, naming it.</summary>
    /// <param name="development">
    /// Outside Development every address a secret travels to must be https: texted links, setup cookies and Twilio's
    /// signed webhooks all use <see cref="PublicBaseUrl"/>.
    /// </param>
    internal static OptionsBuilder<ServiceOptions> Bind(IServiceCollection services, bool development)
        => services.AddOptions<ServiceOptions>().BindConfiguration(Section)
            .Validate(o => o.PublicBaseUrl is { IsAbsoluteUri: true, AbsolutePath: "/" }, "PublicBaseUrl must be an origin such as https://2fa.example.com (no path).")
            .Validate(o => o.PublicBaseUrl is not { IsAbsoluteUri: true } || o.PublicBaseUrl.GetLeftPart(UriPartial.Authority).Length <= 64, "PublicBaseUrl must be at most 64 characters, so texted links fit one SMS segment.")
            .Validate(o => development || o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps, "PublicBaseUrl must be https outside Development (texted links, the setup cookie and Twilio's signatures depend on it).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ExpirySchedule), "ExpirySchedule must be a six-field CRON expression.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer) && o.Issuer.Length <= MaxIssuerLength, $"Issuer must be 1-{MaxIssuerLength} characters: it starts every text.")
            .ValidateOnStart();
}
