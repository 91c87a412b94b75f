namespace Serverless2FA.Core.Storage;

/// <summary>
/// Texts counted for a send limit, in table Phones: per user (partition = the user's key, row "user", a sliding
/// hour of send times) or per country calling code (partition "cc{code}", row = the clock hour and a shard, a count).
/// </summary>
internal sealed class SendCountEntity : TableRow
{
    public const string UserRow = "user";

    /// <summary>Space-separated Unix seconds of the sends within the last hour (per user).</summary>
    public string RecentSends { get; set; } = string.Empty;

    /// <summary>Texts sent in this clock hour (per country).</summary>
    public int Count { get; set; }
}
