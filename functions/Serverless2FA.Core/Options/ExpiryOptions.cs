using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>The expiry sweep (the <c>ExpirePendingVerifications</c> timer) and how long records are kept.</summary>
public sealed class ExpiryOptions
{
    public const string Section = "Expiry";

    /// <summary>
    /// How long one run may work before it leaves the rest to the next run. Below the one-minute
    /// schedule, so runs do not pile up behind each other.
    /// </summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How far back the very first run (no cursor stored yet) starts reading. Every pending lifetime is
    /// minutes long, so a week covers anything written before the sweep was first deployed, while the
    /// first run's range stays bounded.
    /// </summary>
    public TimeSpan MaxLookBack { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Index entries handled at once; each costs one or two storage round trips.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>How long a record of a text's delivery status is kept.</summary>
    public TimeSpan DeliveryRecordRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a processed inbound <c>MessageSid</c> is remembered (so a retried webhook has one effect).</summary>
    public TimeSpan MessageSidRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an audit entry is kept.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(365);

    internal static OptionsBuilder<ExpiryOptions> Bind(IServiceCollection services)
        => services.AddOptions<ExpiryOptions>().BindConfiguration(Section)
            .Validate(o => o.TimeBudget > TimeSpan.Zero && o.MaxLookBack > TimeSpan.Zero && o.Parallelism is > 0 and <= 64, "Expiry:TimeBudget and Expiry:MaxLookBack must be positive and Expiry:Parallelism 1-64.")
            .Validate(o => o.DeliveryRecordRetention > TimeSpan.Zero && o.MessageSidRetention > TimeSpan.Zero && o.AuditRetention > TimeSpan.Zero, "Expiry retention ages must be positive.")
            .ValidateOnStart();
}
