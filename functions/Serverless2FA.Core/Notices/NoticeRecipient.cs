using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Notices;

/// <summary>The enrolled phone a notice goes to, as the user's profile holds it (encrypted), and the language to write in.</summary>
public sealed record NoticeRecipient(string UserKey, string PhoneCipher, string PhoneKey, string? Locale)
{
    /// <summary>The phone of an enrolled <paramref name="profile"/>; null when it has none to tell.</summary>
    internal static NoticeRecipient? Of(UserProfileEntity? profile)
        => profile is { Enrolled: true, PhoneCipher: { } cipher, PhoneKey: { } key } ? new(profile.PartitionKey, cipher, key, profile.Locale) : null;
}
