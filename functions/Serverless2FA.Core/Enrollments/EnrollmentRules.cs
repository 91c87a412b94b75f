using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Enrollments;

/// <summary>What can happen to an enrollment; each is allowed only from the statuses <see cref="EnrollmentRules"/> lists.</summary>
public enum EnrollmentMove
{
    /// <summary>The texted link is opened: a setup session begins.</summary>
    Open,
    /// <summary>The phone texts JOIN with the code: the enrollment by text begins.</summary>
    Join,
    /// <summary>An authenticator app or codes by text is chosen (again).</summary>
    ChooseMethod,
    WrongCode,
    Verify,
    /// <summary>The bot texts a setup link for the authenticator app, which opens only a link-sent enrollment.</summary>
    ReissueLink,
    Complete,
    Cancel,
    Expire,
    /// <summary>The setup link could not be texted at the start.</summary>
    FailDelivery,
    /// <summary>Something is noted on a live enrollment without moving it: the bot's step, a text's sid or fate, a code withdrawn.</summary>
    Note,
}

/// <summary>
/// Every legal move of an enrollment, in one table (as the bot's <c>ConversationRules</c> holds the conversation's),
/// and <see cref="Refuse"/>, the one place that turns down a move its status does not allow.
/// </summary>
public static class EnrollmentRules
{
    private static readonly Dictionary<(EnrollmentStatus, EnrollmentMove), EnrollmentStatus> Moves = Build();

    /// <summary>The status <paramref name="move"/> leads to from <paramref name="from"/>; null when it is not allowed.</summary>
    public static EnrollmentStatus? Next(EnrollmentStatus from, EnrollmentMove move) => Moves.TryGetValue((from, move), out var next) ? next : null;

    /// <returns>Null when <paramref name="move"/> is allowed from <paramref name="from"/>; else the refusal to answer.</returns>
    public static Failure? Refuse(EnrollmentStatus from, EnrollmentMove move)
    {
        if (Moves.ContainsKey((from, move)))
        {
            return null;
        }

        if (from.IsFinal())
        {
            return new Failure(FailureKind.Gone, "This setup has ended. Ask the app to text you a new setup link.");
        }

        return (from, move) switch
        {
            (_, EnrollmentMove.Complete) => new Failure(FailureKind.Conflict, "Prove your authenticator app or phone works with a code before finishing."),
            (EnrollmentStatus.Verified, _) => new Failure(FailureKind.Conflict, "This setup is already verified. Save your emergency code and finish."),
            _ => new Failure(FailureKind.Conflict, "That is not possible at this step of the setup."),
        };
    }

    private static Dictionary<(EnrollmentStatus, EnrollmentMove), EnrollmentStatus> Build()
    {
        var moves = new Dictionary<(EnrollmentStatus, EnrollmentMove), EnrollmentStatus>();
        void Add(EnrollmentStatus from, EnrollmentMove move, EnrollmentStatus to) => moves[(from, move)] = to;

        EnrollmentStatus[] live = [EnrollmentStatus.LinkSent, EnrollmentStatus.AwaitingText, EnrollmentStatus.Opened, EnrollmentStatus.Verified];
        foreach (var status in live)
        {
            Add(status, EnrollmentMove.Cancel, EnrollmentStatus.Cancelled);
            Add(status, EnrollmentMove.Expire, EnrollmentStatus.Expired);
            Add(status, EnrollmentMove.Note, status);
        }

        // Over already, but its secrets must not outlive it either: expiry scrubs them and leaves the status.
        Add(EnrollmentStatus.Failed, EnrollmentMove.Expire, EnrollmentStatus.Failed);
        Add(EnrollmentStatus.Cancelled, EnrollmentMove.Expire, EnrollmentStatus.Cancelled);

        Add(EnrollmentStatus.LinkSent, EnrollmentMove.Open, EnrollmentStatus.Opened);
        Add(EnrollmentStatus.LinkSent, EnrollmentMove.FailDelivery, EnrollmentStatus.Failed);
        Add(EnrollmentStatus.AwaitingText, EnrollmentMove.Join, EnrollmentStatus.Opened);

        // Choosing, proving and re-texting the link, from a link not yet opened (the bot's) or an open session.
        foreach (var status in new[] { EnrollmentStatus.LinkSent, EnrollmentStatus.Opened })
        {
            Add(status, EnrollmentMove.ChooseMethod, status);
            Add(status, EnrollmentMove.WrongCode, status);
            Add(status, EnrollmentMove.Verify, EnrollmentStatus.Verified);
            Add(status, EnrollmentMove.ReissueLink, EnrollmentStatus.LinkSent);
        }

        Add(EnrollmentStatus.Verified, EnrollmentMove.Complete, EnrollmentStatus.Completed);
        return moves;
    }
}
