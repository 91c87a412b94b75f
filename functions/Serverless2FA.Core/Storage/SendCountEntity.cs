namespace Serverless2FA.Core.Storage;

/// <summary>
/// Texts counted for a send limit, in table Phones: per user (partition = the user's key, row "user", a sliding hour
/// of send times per purpose), or per ISO region and purpose per clock hour and service-wide per UTC day (a count in
/// each of a few shard rows, see <see cref="Sms.Budgets.ShardedCounter"/>).
/// </summary>
internal sealed class SendCountEntity : TableRow, IPurposeSends
{
    public const string UserRow = "user";

    public string LoginSends { get; set; } = string.Empty;
    public string EnrollmentSends { get; set; } = string.Empty;
    public string NoticeSends { get; set; } = string.Empty;

    /// <summary>Texts counted in this shard of the hour or day.</summary>
    public int Count { get; set; }
}
