using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.Factors;

/// <summary>A texted code as stored: a salt, the keyed hash of the code, and when it stops working.</summary>
public sealed record StoredTextedCode(string Salt, string Hash, DateTimeOffset ExpiresAt);

/// <summary>A new code: <paramref name="Code"/> goes in the text, <paramref name="Stored"/> into storage.</summary>
public sealed record IssuedTextedCode(string Code, StoredTextedCode Stored);

public enum TextedCodeOutcome
{
    Accepted,
    Wrong,
    /// <summary>Past its time: refused whether or not it was right.</summary>
    Expired,
    /// <summary>No tries were left: refused without being compared.</summary>
    Locked,
}

/// <param name="AttemptsLeft">Wrong codes still allowed after this check.</param>
public readonly record struct TextedCodeCheck(TextedCodeOutcome Outcome, int AttemptsLeft);

/// <summary>
/// The texted 6-digit code, for setup and log-in alike (NIST SP 800-63B 5.1.3): issued as a salted, keyed hash so
/// storage never holds the code; checked in constant time, refused once expired or once no tries are left. The
/// caller keeps the count of wrong codes (on the enrollment, on the user's factor) and passes what is left.
/// </summary>
public sealed class TextedCodeFactor(KeyRing keys)
{
    public async Task<IssuedTextedCode> IssueAsync(DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var code = Randomness.Digits(Codes.SmsDigits);
        var salt = Randomness.Token(8);
        var hash = await keys.CodeHashAsync(salt, code, cancellationToken).ConfigureAwait(false);
        return new IssuedTextedCode(code, new StoredTextedCode(salt, hash, expiresAt));
    }

    /// <param name="code">Six ASCII digits (<see cref="Codes.NormalizeDigits"/>).</param>
    /// <param name="attemptsLeft">Wrong codes still allowed before this one.</param>
    public async Task<TextedCodeCheck> CheckAsync(StoredTextedCode stored, string code, DateTimeOffset now, int attemptsLeft, CancellationToken cancellationToken)
    {
        if (attemptsLeft <= 0)
        {
            return new TextedCodeCheck(TextedCodeOutcome.Locked, 0);
        }

        if (stored.ExpiresAt <= now)
        {
            return new TextedCodeCheck(TextedCodeOutcome.Expired, attemptsLeft);
        }

        var hash = await keys.CodeHashAsync(stored.Salt, code, cancellationToken).ConfigureAwait(false);
        return Hashes.Equal(hash, stored.Hash)
            ? new TextedCodeCheck(TextedCodeOutcome.Accepted, attemptsLeft)
            : new TextedCodeCheck(TextedCodeOutcome.Wrong, attemptsLeft - 1);
    }
}
