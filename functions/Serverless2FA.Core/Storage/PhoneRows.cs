using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>What the Phones table knows of one number, from one partition read: the opt-out flag and the enrollment it joined.</summary>
internal static class PhoneRows
{
    public static async Task<(bool OptedOut, string? UserKey, string? EnrollmentId)> FindPhoneAsync(this Tables tables, string phoneKey, CancellationToken cancellationToken)
    {
        var phones = await tables.GetAsync(Tables.Phones, cancellationToken).ConfigureAwait(false);
        var optedOut = false;
        string? userKey = null, enrollmentId = null;
        // The "phone" and "conversation" rows sit side by side; only their few columns are read.
        await foreach (var row in phones.QueryAsync<TableEntity>(
            RowRange.Partition(phoneKey), select: ["RowKey", nameof(PhoneEntity.OptedOut), nameof(ConversationEntity.UserKey), nameof(ConversationEntity.EnrollmentId)],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == PhoneEntity.Row)
            {
                optedOut = row.GetBoolean(nameof(PhoneEntity.OptedOut)) == true;
            }
            else if (row.RowKey == ConversationEntity.Row)
            {
                (userKey, enrollmentId) = (row.GetString(nameof(ConversationEntity.UserKey)), row.GetString(nameof(ConversationEntity.EnrollmentId)));
            }
        }

        return (optedOut, userKey, enrollmentId);
    }
}
