namespace Serverless2FA.Core.Storage;

/// <summary>
/// Which enrollment a phone is talking about: table Phones, partition = the phone's HMAC (beside its
/// <see cref="PhoneEntity"/>, so one partition read answers both), row "conversation". Written by JOIN.
/// </summary>
internal sealed class ConversationEntity : TableRow
{
    public const string Row = "conversation";

    public ConversationEntity()
    {
        RowKey = Row;
    }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
}
