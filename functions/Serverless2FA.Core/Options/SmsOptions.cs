using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Where texts may go and how many: the defence against SMS-pumping fraud.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>ISO 3166 region codes that may receive texts, comma separated.</summary>
    public string AllowedCountries { get; set; } = "US,CA,GB,IE,DE,FR,ES,NL,AU,NZ";

    /// <summary>Texts one phone number may receive in an hour.</summary>
    public int PerNumberPerHour { get; set; } = 5;

    /// <summary>Texts one user may be sent in an hour, whatever the number.</summary>
    public int PerUserPerHour { get; set; } = 10;

    /// <summary>Texts the whole service may send to one country calling code in a clock hour: caps SMS pumping.</summary>
    public int PerCountryPerHour { get; set; } = 1000;

    /// <summary>Region used to read numbers written without a country code.</summary>
    public string DefaultRegion { get; set; } = "US";

    internal static OptionsBuilder<SmsOptions> Bind(IServiceCollection services)
        => services.AddOptions<SmsOptions>().BindConfiguration(Section)
            .Validate(o => o.PerNumberPerHour > 0 && o.PerUserPerHour > 0 && o.PerCountryPerHour > 0, "Sms:PerNumberPerHour, Sms:PerUserPerHour and Sms:PerCountryPerHour must be positive.")
            .ValidateOnStart();
}
