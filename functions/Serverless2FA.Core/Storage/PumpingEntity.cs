namespace Serverless2FA.Core.Storage;

/// <summary>
/// The pumping guard's counts for one 1,000-number block, in table Phones: partition = "b" and the HMAC of the
/// block (the number less its last three digits; no number is stored), row "pumping". Enrollment texts and completed
/// enrollments are kept in time buckets (<see cref="Sms.Budgets.Buckets"/>), so the row stays small and one read and
/// one write serve a send.
/// </summary>
internal sealed class PumpingEntity : TableRow
{
    public const string Row = "pumping";

    public PumpingEntity()
    {
        RowKey = Row;
    }

    public string Sends { get; set; } = string.Empty;
    public string Completions { get; set; } = string.Empty;
}
