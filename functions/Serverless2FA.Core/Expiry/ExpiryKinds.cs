namespace Serverless2FA.Core.Expiry;

/// <summary>The <see cref="ExpiryEntry.Kind"/> values whose handlers live in Core/Expiry.</summary>
public static class ExpiryKinds
{
    /// <summary>A texted setup link (table Links).</summary>
    public const string Link = "link";

    /// <summary>A pending enrollment (table Users, row "enrollment").</summary>
    public const string Enrollment = "enrollment";

    /// <summary>
    /// A record kept only for a while (delivery status, processed MessageSid, audit entry): deleted when
    /// due. Write <c>ExpiryIndex.AddAsync(Retention, table, pk, rk, createdAt + age)</c> with an age from
    /// <see cref="Options.ExpiryOptions"/>.
    /// </summary>
    public const string Retention = "retention";

    /// <summary>
    /// A user's audit trail (table Users, the user's partition): events older than Expiry:AuditRetention are
    /// deleted, and the entry schedules the next trim while events remain. One entry per user, written when an
    /// enrollment completes, so the hot path (every check writes an event) pays nothing for retention.
    /// </summary>
    public const string AuditTrim = "audit-trim";
}
