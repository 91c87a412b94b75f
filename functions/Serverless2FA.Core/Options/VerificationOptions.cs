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
}
