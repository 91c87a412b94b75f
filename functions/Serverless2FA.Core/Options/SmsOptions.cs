using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.Core.Options;

/// <summary>
/// Where texts may go and how many, per purpose (API.md, "Sending limits"): the defence against SMS pumping and
/// against one purpose starving another.
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>ISO 3166 region codes that may receive texts, comma separated.</summary>
    public string AllowedCountries { get; set; } = "US,CA,GB,IE,DE,FR,ES,NL,AU,NZ";

    /// <summary>Log-in codes one number may receive in any hour.</summary>
    public int LoginPerNumberPerHour { get; set; } = 10;

    /// <summary>Enrollment texts (setup links and codes) one number may receive in any hour.</summary>
    public int EnrollmentPerNumberPerHour { get; set; } = 3;

    /// <summary>Security notices one number may receive in any hour.</summary>
    public int NoticePerNumberPerHour { get; set; } = 5;

    /// <summary>Texts of one purpose (log-in, enrollment) one user may be sent in any hour, whatever the number.</summary>
    public int PerUserPerHour { get; set; } = 10;

    /// <summary>Texts of one purpose the whole service may send to one ISO region (US and CA apart) in a clock hour.</summary>
    public int PerCountryPerHour { get; set; } = 1000;

    /// <summary>Texts of all purposes together the whole service may send in a UTC day; past it, sends answer 503.</summary>
    public int PerDay { get; set; } = 20000;

    /// <summary>How far back the pumping guard looks at a block's enrollment texts and completions.</summary>
    public TimeSpan PumpingWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Enrollment texts a 1,000-number block may have in the window before its conversion is judged.</summary>
    public int PumpingMinSends { get; set; } = 20;

    /// <summary>Completed enrollments per enrollment text (a fraction) below which a busy block is refused.</summary>
    public double PumpingMinConversion { get; set; } = 0.1;

    /// <summary>Twilio's <c>MaxPrice</c> for each message (USD); unset: none is sent.</summary>
    public decimal? MaxPrice { get; set; }

    /// <summary>Region used to read numbers written without a country code.</summary>
    public string DefaultRegion { get; set; } = "US";

    /// <summary>The per-number limit of <paramref name="purpose"/>.</summary>
    public int PerNumberPerHour(SmsPurpose purpose) => purpose switch
    {
        SmsPurpose.Login => LoginPerNumberPerHour,
        SmsPurpose.Enrollment => EnrollmentPerNumberPerHour,
        _ => NoticePerNumberPerHour,
    };

    internal static OptionsBuilder<SmsOptions> Bind(IServiceCollection services)
        => services.AddOptions<SmsOptions>().BindConfiguration(Section)
            .Validate(o => o.LoginPerNumberPerHour > 0, "Sms:LoginPerNumberPerHour must be positive.")
            .Validate(o => o.EnrollmentPerNumberPerHour > 0, "Sms:EnrollmentPerNumberPerHour must be positive.")
            .Validate(o => o.NoticePerNumberPerHour > 0, "Sms:NoticePerNumberPerHour must be positive.")
            .Validate(o => o.PerUserPerHour > 0, "Sms:PerUserPerHour must be positive.")
            .Validate(o => o.PerCountryPerHour > 0, "Sms:PerCountryPerHour must be positive.")
            .Validate(o => o.PerDay > 0, "Sms:PerDay must be positive.")
            .Validate(o => o.PumpingWindow >= TimeSpan.FromHours(1) && o.PumpingWindow <= TimeSpan.FromDays(31), "Sms:PumpingWindow must be between 01:00:00 and 31.00:00:00.")
            .Validate(o => o.PumpingMinSends > 0, "Sms:PumpingMinSends must be positive.")
            .Validate(o => o.PumpingMinConversion is >= 0 and <= 1, "Sms:PumpingMinConversion must be a fraction between 0 and 1.")
            .Validate(o => o.MaxPrice is null or > 0, "Sms:MaxPrice must be a positive price when set.")
            .ValidateOnStart();
}
