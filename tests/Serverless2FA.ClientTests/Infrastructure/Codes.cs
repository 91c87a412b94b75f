using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests.Infrastructure;

public static class Codes
{
    /// <summary>A 6-digit code the authenticator shows at no step the service would accept now (±1 step).</summary>
    public static string Wrong(EnrolledUser user, ShiftableTimeProvider clock)
    {
        _ = clock; // The user's fixture has the same clock.
        return user.WrongCode();
    }
}
