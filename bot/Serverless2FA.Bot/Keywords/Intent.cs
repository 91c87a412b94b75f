namespace Serverless2FA.Bot.Keywords;

/// <summary>What an inbound text means to the bot, before the conversation's state is considered.</summary>
public enum Intent
{
    /// <summary>Anything the bot does not recognise, an empty text included.</summary>
    Unknown,

    /// <summary>START or 2FA (and Twilio's other opt-in words YES, UNSTOP): begin, resume, and allow texts again.</summary>
    Start,

    /// <summary>JOIN &lt;code&gt;.</summary>
    Join,

    /// <summary>A 6-digit code.</summary>
    Code,

    /// <summary>"1": codes by text, or "every log-in" when the policy is asked.</summary>
    One,

    /// <summary>"2": an authenticator app, or "once per computer" when the policy is asked.</summary>
    Two,

    Saved,
    Status,
    Help,

    /// <summary>
    /// CANCEL. Twilio counts CANCEL among its opt-out words and stops delivering to the number, so the bot both
    /// cancels the setup and records the opt-out; START allows texts again.
    /// </summary>
    Cancel,

    /// <summary>STOP and Twilio's other opt-out words (STOPALL, UNSUBSCRIBE, END, QUIT, OPTOUT, REVOKE).</summary>
    OptOut,
}

/// <param name="Argument">What followed the keyword (the join code), or the normalised 6 digits of a code.</param>
public sealed record Inbound(Intent Intent, string? Argument = null);
