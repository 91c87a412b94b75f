namespace Serverless2FA.Core.Users;

/// <summary>The events of a user's audit trail, as the relying app reads them.</summary>
public static class AuditEvents
{
    public const string Enrolled = "enrolled";
    public const string Verified = "verified";
    public const string Denied = "denied";
    public const string Locked = "locked";
    public const string EmergencyCodeUsed = "emergency-code-used";
    public const string EmergencyCodesRenewed = "emergency-codes-renewed";
    public const string DeviceRemembered = "device-remembered";
    public const string DevicesForgotten = "devices-forgotten";
    public const string LockReset = "lock-reset";
    public const string Disabled = "disabled";
}
