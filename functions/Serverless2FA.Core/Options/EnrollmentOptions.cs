namespace Serverless2FA.Core.Options;

public sealed class EnrollmentOptions
{
    public const string Section = "Enrollment";

    /// <summary>Lifetime of a texted setup link.</summary>
    public TimeSpan LinkTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of the setup session and of the pending enrollment behind it.</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromMinutes(30);
}
