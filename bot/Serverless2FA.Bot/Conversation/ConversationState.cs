namespace Serverless2FA.Bot.Conversation;

/// <summary>Where a phone's enrollment conversation stands; stored by name on the enrollment.</summary>
public enum ConversationState
{
    /// <summary>No live enrollment joined by this phone.</summary>
    NotStarted,
    ChoosingMethod,
    AwaitingSmsCode,
    AwaitingAppCode,
    AwaitingSaved,
    ChoosingPolicy,
    Completed,
}

/// <summary>What the bot does for one inbound text.</summary>
public enum BotAction
{
    ExplainHowToBegin,
    Resume,
    Status,
    Help,
    Join,
    SendSmsCode,
    SendAppLink,
    VerifyCode,
    ConfirmSaved,
    ChoosePolicy,
    Cancel,
    OptOut,

    /// <summary>Not a move this state allows: say so, and what is expected instead.</summary>
    Reject,
}
