using Serverless2FA.Core.Enrollments;

namespace Serverless2FA.Bot.Conversation;

/// <summary>The conversation state of an enrollment, from its status (which the setup page moves too) and the bot's step.</summary>
public static class ConversationStates
{
    /// <param name="status">The enrollment's status; null when the phone has no live enrollment.</param>
    /// <param name="step">The bot's last recorded step.</param>
    public static ConversationState From(EnrollmentStatus? status, string? step)
    {
        var recorded = Enum.TryParse<ConversationState>(step, out var parsed) ? parsed : ConversationState.ChoosingMethod;
        return status switch
        {
            null or EnrollmentStatus.AwaitingText or EnrollmentStatus.Expired or EnrollmentStatus.Cancelled or EnrollmentStatus.Failed => ConversationState.NotStarted,
            EnrollmentStatus.Completed => ConversationState.Completed,
            // Verified by text or on the setup page: next come the emergency codes, then the policy.
            EnrollmentStatus.Verified => recorded == ConversationState.ChoosingPolicy ? ConversationState.ChoosingPolicy : ConversationState.AwaitingSaved,
            _ => recorded is ConversationState.ChoosingMethod or ConversationState.AwaitingSmsCode or ConversationState.AwaitingAppCode
                ? recorded
                : ConversationState.ChoosingMethod,
        };
    }
}
