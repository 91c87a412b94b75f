using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>Lifetime of an SMS code and of a log-in verification.</summary>
    public TimeSpan CodeTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wrong codes before a verification (or a setup) is locked.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Shortest gap between two texted codes to the same phone.</summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a factor stays locked after MaxAttempts consecutive wrong codes; doubles on each repeat, up to a day.</summary>
    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Consecutive wrong codes after which the factor stays locked until the relying app resets it.</summary>
    public int HardLockAfter { get; set; } = 100;

    /// <summary>Lifetime of a remembered computer (policy once-per-computer).</summary>
    public TimeSpan DeviceTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Remembered computers kept per user; the oldest is dropped beyond it.</summary>
    public int MaxDevices { get; set; } = 10;

    internal static OptionsBuilder<VerificationOptions> Bind(IServiceCollection services)
        => services.AddOptions<VerificationOptions>().BindConfiguration(Section)
            .Validate(o => o.CodeTtl > TimeSpan.Zero && o.MaxAttempts is > 0 and <= 20, "Verification:CodeTtl must be positive and Verification:MaxAttempts 1-20.")
            .Validate(o => o.LockoutPeriod > TimeSpan.Zero && o.HardLockAfter >= o.MaxAttempts, "Verification:LockoutPeriod must be positive and Verification:HardLockAfter at least MaxAttempts.")
            .Validate(o => o.DeviceTtl > TimeSpan.Zero && o.MaxDevices is > 0 and <= 50, "Verification:DeviceTtl must be positive and Verification:MaxDevices 1-50.")
            .ValidateOnStart();
}
