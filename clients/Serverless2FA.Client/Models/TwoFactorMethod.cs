namespace Serverless2FA.Client;

/// <summary>How the person proves it is them: an authenticator app (TOTP) or codes by text.</summary>
public enum TwoFactorMethod
{
    /// <summary>An authenticator app (TOTP, RFC 6238).</summary>
    Authenticator,

    /// <summary>A 6-digit code texted at each log-in.</summary>
    Sms,
}

/// <summary>When the person is asked for a code.</summary>
public enum TwoFactorPolicy
{
    /// <summary>At every log-in.</summary>
    EveryLogin,

    /// <summary>Once per computer: a check with <c>rememberDevice</c> returns a device token that skips the next ones.</summary>
    OncePerComputer,
}
