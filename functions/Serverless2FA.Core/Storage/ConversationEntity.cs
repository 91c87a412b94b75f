using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// Which enrollment a phone is talking about: table Phones, partition = the phone's HMAC (beside its
/// <see cref="PhoneEntity"/>, so one partition read answers both), row "conversation". Written by JOIN.
/// </summary>
public sealed class ConversationEntity : ITableEntity
{
    public const string Row = "conversation";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
}
