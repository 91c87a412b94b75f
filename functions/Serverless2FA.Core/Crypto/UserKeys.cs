namespace Serverless2FA.Core.Crypto;

/// <summary>Table keys derived from personal data: never the raw user id or phone number.</summary>
public sealed class UserKeys(KeyRing keys)
{
    public async Task<string> ForUserAsync(string userId, CancellationToken cancellationToken)
        => "u" + await keys.LookupHashAsync("user-id", userId, cancellationToken).ConfigureAwait(false);

    public async Task<string> ForPhoneAsync(string e164, CancellationToken cancellationToken)
        => "p" + await keys.LookupHashAsync("phone", e164, cancellationToken).ConfigureAwait(false);
}
