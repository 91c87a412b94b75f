using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.Storage;

/// <summary>Reading a texted setup link (its row is <see cref="LinkEntity"/>, keyed by the token's hash).</summary>
internal static class LinkRows
{
    public static Task<LinkEntity?> FindLinkAsync(this Tables tables, string token, CancellationToken cancellationToken)
        => tables.FindAsync<LinkEntity>(Tables.Links, Hashes.OfToken(token), LinkEntity.Row, cancellationToken);
}
