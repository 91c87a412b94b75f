using System.Security.Cryptography;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.UnitTests.Crypto;

/// <summary>A secret store for unit tests of what sits on top of one (the real stores have their own tests).</summary>
internal sealed class InMemorySecrets : ISecretStore
{
    public Dictionary<string, string> Values { get; } = new()
    {
        [SecretNames.DataKeys] = $$$"""{"active":"v1","keys":{"v1":"{{{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}}}"}}""",
        [SecretNames.LookupKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    public string Kind => "memory";

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
        => Task.FromResult(Values.TryGetValue(name, out var value) ? value : null);
}
