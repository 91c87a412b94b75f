namespace Serverless2FA.Core.Sms;

/// <summary>
/// What a text is for, as the sending limits count it: each purpose has its own budget, so texts of one purpose can
/// never use up another's (API.md, "Sending limits").
/// </summary>
public enum SmsPurpose
{
    /// <summary>A log-in code to an enrolled number.</summary>
    Login,

    /// <summary>Setup links, setup codes and the bot's texts.</summary>
    Enrollment,

    /// <summary>A security notice (factor replaced, two-factor turned off, emergency code used, ...).</summary>
    Notice,
}
