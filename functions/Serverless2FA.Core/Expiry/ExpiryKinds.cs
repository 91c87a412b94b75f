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
}
