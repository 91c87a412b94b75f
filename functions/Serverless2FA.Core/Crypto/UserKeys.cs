namespace Serverless2FA.Core.Crypto;

/// <summary>Table keys derived from personal data: never the raw user id or phone number.</summary>
public sealed class UserKeys(KeyRing keys)
{
    public async Task<string> ForUserAsync(string userId, CancellationToken cancellationToken)
        => "u" + await keys.LookupHashAsync("user-id", userId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The user id encrypted for the user's rows, so the events about the user can name them while a copy of the tables
    /// alone reveals no user id: bound to the user's key, as a phone is.
    /// </summary>
    public Task<string> EncryptIdAsync(string userId, string userKey, CancellationToken cancellationToken)
        => keys.EncryptAsync(userId, IdContext(userKey), cancellationToken);

    public Task<string> DecryptIdAsync(string cipher, string userKey, CancellationToken cancellationToken)
        => keys.DecryptAsync(cipher, IdContext(userKey), cancellationToken);

    public async Task<string> ForPhoneAsync(string e164, CancellationToken cancellationToken)
        => "p" + await keys.LookupHashAsync("phone", e164, cancellationToken).ConfigureAwait(false);

    private static string IdContext(string userKey) => "user-id|" + userKey;
}
