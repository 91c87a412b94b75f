using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Remembered computers (policy once-per-computer): a 256-bit random token handed to the relying app once,
/// stored only as its SHA-256 in the row key, live for a lifetime, at most a number per user.
/// </summary>
internal static class DeviceTokens
{
    public const int MaxTokenLength = 128;

    public static string NewToken() => Randomness.Token(32);

    public static string RowKeyOf(string token) => DeviceEntity.RowPrefix + Hashes.OfToken(token);

    /// <summary>A token is worth looking up only if it could be one the service made.</summary>
    public static bool IsWellFormed(string? token)
        => !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static bool IsLive(DeviceEntity? device, DateTimeOffset now) => device is not null && device.ExpiresAt > now;

    /// <summary>
    /// The rows to delete so that, with one new device added, at most <paramref name="max"/> remain:
    /// every expired one, then the oldest.
    /// </summary>
    public static IReadOnlyList<DeviceEntity> ToDrop(IEnumerable<DeviceEntity> existing, DateTimeOffset now, int max)
    {
        var all = existing.ToList();
        var drop = all.Where(d => !IsLive(d, now)).ToList();
        var live = all.Where(d => IsLive(d, now)).OrderBy(d => d.CreatedAt).ToList();
        var excess = live.Count + 1 - max;
        if (excess > 0)
        {
            drop.AddRange(live.Take(excess));
        }

        return drop;
    }
}
