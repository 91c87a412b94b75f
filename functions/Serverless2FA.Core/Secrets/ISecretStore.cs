namespace Serverless2FA.Core.Secrets;

/// <summary>
/// The app's secrets: Key Vault in Azure, a generated file locally. Names are Key Vault secret names
/// (<see cref="SecretNames"/>). Implementations cache, so callers may ask on every request.
/// </summary>
public interface ISecretStore
{
    /// <summary>Where the secrets come from ("keyvault" or "file"), for the health endpoint.</summary>
    string Kind { get; }

    /// <returns>The secret's value, or null when it is not set.</returns>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);
}

public static class SecretNames
{
    /// <summary>JSON <c>{"active":"v1","keys":{"v1":"&lt;base64 of 32 bytes&gt;"}}</c>: AES-256-GCM data keys, versioned so they can rotate.</summary>
    public const string DataKeys = "data-keys";

    /// <summary>Base64 of 32 bytes: the key from which the table-key and code-hash keys are derived (<see cref="Crypto.KeyPurposes"/>).</summary>
    public const string LookupKey = "lookup-key";

    public const string TwilioAccountSid = "twilio-account-sid";

    public const string TwilioAuthToken = "twilio-auth-token";

    /// <summary><c>whsec_</c> and the base64 of 32 random bytes: signs the events to the relying app (Standard Webhooks).</summary>
    public const string EventsSigningSecret = "events-signing-secret";
}
