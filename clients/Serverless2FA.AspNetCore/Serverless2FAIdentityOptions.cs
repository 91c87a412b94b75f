namespace Serverless2FA.AspNetCore;

/// <summary>How Identity uses Serverless2FA.</summary>
public sealed class Serverless2FAIdentityOptions
{
    /// <summary>The default <see cref="ProviderName"/>.</summary>
    public const string DefaultProviderName = "Serverless2FA";

    /// <summary>The token provider's name, for <c>SignInManager.TwoFactorSignInAsync(provider, …)</c>.</summary>
    public string ProviderName { get; set; } = DefaultProviderName;

    /// <summary>
    /// Also make it Identity's authenticator provider, so <c>TwoFactorAuthenticatorSignInAsync</c> (the scaffolded
    /// "LoginWith2fa" page) is checked by the service: each code once, wrong ones counted. Default true.
    /// </summary>
    public bool UseForAuthenticatorSignIn { get; set; } = true;

    /// <summary>Maps Identity's user id to the service's <c>userId</c> (1-128 of <c>A-Z a-z 0-9 . _ ~ @ + -</c>; a GUID is fine as it is).</summary>
    public Func<string, string> ServiceUserId { get; set; } = id => id;

    /// <summary>How long a remembered computer's cookie lives; the service's <c>Verification:DeviceTtl</c> (30 days) decides too.</summary>
    public TimeSpan RememberComputerFor { get; set; } = TimeSpan.FromDays(30);
}
