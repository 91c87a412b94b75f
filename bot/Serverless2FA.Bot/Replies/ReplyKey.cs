namespace Serverless2FA.Bot.Replies;

/// <summary>Every reply the bot sends. Prompts (one per state) double as the answer to START and STATUS.</summary>
public enum ReplyKey
{
    PromptNotStarted,
    PromptChoosingMethod,
    PromptAwaitingSmsCode,
    PromptAwaitingAppCode,
    PromptAwaitingSaved,
    PromptChoosingPolicy,
    PromptCompleted,
    Help,
    Joined,
    JoinWrong,
    JoinLimited,
    SmsCodeSent,
    AppLinkSent,
    CodeWrong,
    CodeExpired,
    Locked,
    NeedAppFirst,
    /// <summary>The single-use link to the page that shows the emergency codes once; the codes never go by text.</summary>
    EmergencyCodesLink,
    Done,
    TooManyTexts,
    SendFailed,
}
