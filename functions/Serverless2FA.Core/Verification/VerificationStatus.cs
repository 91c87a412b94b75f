namespace Serverless2FA.Core.Verification;

/// <summary>A log-in verification's status, as the API writes it.</summary>
public static class VerificationStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Locked = "locked";
    public const string Expired = "expired";
}
