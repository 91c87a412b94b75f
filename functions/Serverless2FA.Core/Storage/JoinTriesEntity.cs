namespace Serverless2FA.Core.Storage;

/// <summary>Wrong JOIN codes from one phone: table Phones, partition = the phone's HMAC, row "join-tries".</summary>
internal sealed class JoinTriesEntity : TableRow
{
    public const string Row = "join-tries";

    public JoinTriesEntity()
    {
        RowKey = Row;
    }

    /// <summary>Space-separated Unix seconds of the wrong codes within the last hour.</summary>
    public string Tries { get; set; } = string.Empty;
}
