using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.Factors;

/// <summary>One emergency code as stored: a salt and the keyed hash of the code.</summary>
public sealed record StoredEmergencyCode(string Salt, string Hash);

/// <summary>New emergency codes: <paramref name="Codes"/> are shown once, <paramref name="Stored"/> (in the same order) kept.</summary>
public sealed record IssuedEmergencyCodes(IReadOnlyList<string> Codes, IReadOnlyList<StoredEmergencyCode> Stored);

/// <param name="Index">Which of the stored codes matched (its place in the list checked).</param>
/// <param name="Left">How many remain once it is used up.</param>
public readonly record struct EmergencyCodeMatch(int Index, int Left);

/// <summary>
/// Emergency codes (look-up secrets, NIST SP 800-63B 5.1.2), for setup, renewal and log-in alike: issued as
/// <see cref="EmergencyCodes.Count"/> codes stored only as salted, keyed hashes; redeemed by comparing with every
/// stored one in constant time, so neither the answer nor its timing tells which matched. The caller deletes the
/// matched one in the same commit that approves, so each is used once.
/// </summary>
public sealed class EmergencyCodeFactor(KeyRing keys)
{
    public async Task<IssuedEmergencyCodes> IssueAsync(CancellationToken cancellationToken)
    {
        var codes = EmergencyCodes.Generate();
        var stored = new List<StoredEmergencyCode>(codes.Count);
        foreach (var code in codes)
        {
            var salt = Randomness.Token(8);
            stored.Add(new StoredEmergencyCode(salt, await keys.CodeHashAsync(salt, code, cancellationToken).ConfigureAwait(false)));
        }

        return new IssuedEmergencyCodes(codes, stored);
    }

    /// <param name="code">A code as <see cref="EmergencyCodes.Normalize"/> gives it.</param>
    /// <returns>The match, or null when no stored code is this one.</returns>
    public async Task<EmergencyCodeMatch?> RedeemAsync(IReadOnlyList<StoredEmergencyCode> stored, string code, CancellationToken cancellationToken)
    {
        int? match = null;
        for (var i = 0; i < stored.Count; i++)
        {
            var hash = await keys.CodeHashAsync(stored[i].Salt, code, cancellationToken).ConfigureAwait(false);
            if (Hashes.Equal(hash, stored[i].Hash))
            {
                match = i;
            }
        }

        return match is { } index ? new EmergencyCodeMatch(index, stored.Count - 1) : null;
    }
}
