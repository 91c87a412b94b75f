using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>
/// One limit one send must fit under. <see cref="SendBudgets"/> checks every limit of a send first (reads only), then
/// takes a slot of each (a write with the row's ETag, decided again on a conflict), and gives back the slots it took
/// when another limit refused in the meantime or the text never left.
/// </summary>
internal interface ISendCounter
{
    /// <returns>Why the send does not fit now; null when it does. Writes nothing.</returns>
    Task<Failure?> CheckAsync(CancellationToken cancellationToken);

    /// <returns>Why the send does not fit (nothing taken); null when a slot was taken.</returns>
    Task<Failure?> TakeAsync(CancellationToken cancellationToken);

    /// <summary>Gives back the slot <see cref="TakeAsync"/> took; nothing when it took none.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
