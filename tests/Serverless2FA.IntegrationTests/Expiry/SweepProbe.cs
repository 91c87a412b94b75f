using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>Runs the sweep inside the service fixture and reads what it left behind.</summary>
public sealed class SweepProbe(ServiceFixture fixture)
{
    public IServiceProvider Services => fixture.Factory.Services;

    public Tables Tables => Services.GetRequiredService<Tables>();

    public Task<SweepReport> RunAsync() => Services.GetRequiredService<ExpirySweep>().RunAsync(CancellationToken.None);

    /// <summary>A sweep whose handlers are the app's, each outcome recorded per target in <paramref name="outcomes"/>.</summary>
    public ExpirySweep Recording(ConcurrentQueue<(string Kind, string Target, ExpiryOutcome Outcome)> outcomes)
        => new(
            Services.GetRequiredService<IExpiryIndexStore>(),
            Services.GetServices<IExpiryHandler>().Select(h => new RecordingHandler(h, outcomes)).ToList(),
            fixture.Clock,
            Services.GetRequiredService<IOptions<ExpiryOptions>>(),
            NullLogger<ExpirySweep>.Instance);

    public Task<string> UserKeyAsync(string userId) => Services.GetRequiredService<UserKeys>().ForUserAsync(userId, CancellationToken.None);

    internal async Task<EnrollmentEntity?> EnrollmentAsync(string userId)
    {
        var users = await Tables.GetAsync(Tables.Users);
        var found = await users.GetEntityIfExistsAsync<EnrollmentEntity>(await UserKeyAsync(userId), EnrollmentEntity.Row);
        return found.HasValue ? found.Value : null;
    }

    public async Task<bool> LinkExistsAsync(string linkPath)
    {
        var links = await Tables.GetAsync(Tables.Links);
        var found = await links.GetEntityIfExistsAsync<TableEntity>(LinkKey(linkPath), LinkEntity.Row);
        return found.HasValue;
    }

    /// <summary>The Links partition of a texted link ("/s/{token}"): the hash of its token.</summary>
    public static string LinkKey(string linkPath) => Hashes.OfToken(linkPath["/s/".Length..]);

    private sealed class RecordingHandler(IExpiryHandler inner, ConcurrentQueue<(string, string, ExpiryOutcome)> outcomes) : IExpiryHandler
    {
        public string Kind => inner.Kind;

        public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var outcome = await inner.ExpireAsync(entry, now, cancellationToken);
            outcomes.Enqueue((entry.Kind, entry.TargetPartitionKey, outcome));
            return outcome;
        }
    }
}
