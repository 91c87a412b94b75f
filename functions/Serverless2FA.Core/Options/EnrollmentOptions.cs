using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

public sealed class EnrollmentOptions
{
    public const string Section = "Enrollment";

    /// <summary>Lifetime of a texted setup link.</summary>
    public TimeSpan LinkTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of the setup session and of the pending enrollment behind it.</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How recent an approved verification must be to replace the factor of an enrolled user (step-up).</summary>
    public TimeSpan StepUpTtl { get; set; } = TimeSpan.FromMinutes(10);

    internal static OptionsBuilder<EnrollmentOptions> Bind(IServiceCollection services)
        => services.AddOptions<EnrollmentOptions>().BindConfiguration(Section)
            .Validate(o => o.LinkTtl > TimeSpan.Zero && o.SessionTtl > TimeSpan.Zero && o.StepUpTtl > TimeSpan.Zero, "Enrollment lifetimes (LinkTtl, SessionTtl, StepUpTtl) must be positive.")
            .ValidateOnStart();
}
