using OtpNet;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests.Infrastructure;

public static class Codes
{
    /// <summary>A 6-digit code the authenticator shows at no step the service would accept now (±1 step).</summary>
    public static string Wrong(EnrolledUser user, ShiftableTimeProvider clock)
    {
        var totp = new Totp(Base32Encoding.ToBytes(user.Secret!));
        var now = clock.GetUtcNow().UtcDateTime;
        var live = new[] { -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => (123450 + d).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !live.Contains(c));
    }
}
