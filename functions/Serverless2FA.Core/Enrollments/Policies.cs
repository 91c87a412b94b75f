namespace Serverless2FA.Core.Enrollments;

public static class Policies
{
    public const string EveryLogin = "every-login";
    public const string OncePerComputer = "once-per-computer";

    public static readonly IReadOnlyList<string> All = [EveryLogin, OncePerComputer];

    public static bool IsValid(string? policy) => policy is EveryLogin or OncePerComputer;
}

public static class Methods
{
    public const string Authenticator = "authenticator";
    public const string Sms = "sms";

    public static readonly IReadOnlyList<string> All = [Authenticator, Sms];
}
