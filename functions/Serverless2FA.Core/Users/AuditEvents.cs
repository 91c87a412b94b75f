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

    /// <summary>A step-up replaced the factor (new phone or method); the detail names the old and new method.</summary>
    public const string FactorReplaced = "factor-replaced";

    /// <summary>A security notice could not be texted; the detail names the notice and why.</summary>
    public const string NoticeSkipped = "notice-skipped";
}
