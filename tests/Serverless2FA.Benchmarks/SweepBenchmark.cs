using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Expiry;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// Does the sweep's cost follow what expires, not what is stored? Seeds Azurite with N stored pending
/// items of which K are due, sweeps with every Table request recorded, for two N in one run. Azurite
/// evaluates every query in memory, so time alone would flatter a table scan; the request count and
/// the unbounded-query count are what carry over to Azure.
/// </summary>
public sealed class SweepBenchmark : IBenchmark
{
    private const int Due = 1000;
    private const int Rounds = 3;

    public string Name => "sweep";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true }, cancellationToken);
        var clock = new ShiftableTimeProvider();

        // Warm-up (JIT, connections, Azurite), not reported.
        using (var warmUp = await Dataset.SeedAsync(azurite.ConnectionString, clock, 2_000, cancellationToken))
        {
            await warmUp.SweepRoundAsync(cancellationToken);
        }

        using var small = await Dataset.SeedAsync(azurite.ConnectionString, clock, 10_000, cancellationToken);
        using var large = await Dataset.SeedAsync(azurite.ConnectionString, clock, 100_000, cancellationToken);
        // Rounds alternate between the two, so drift on a shared machine falls on both alike.
        for (var round = 0; round < Rounds; round++)
        {
            await small.SweepRoundAsync(cancellationToken);
            await large.SweepRoundAsync(cancellationToken);
        }

        var ratio = large.MedianMs / small.MedianMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N=10000: requests-per-expired={small.RequestsPerExpired:F3}; N=100000: requests-per-expired={large.RequestsPerExpired:F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep-scaling ratio={ratio:F2} requests-per-expired={large.RequestsPerExpired:F3} unbounded-queries={small.Unbounded + large.Unbounded} (N=100000: {large.MedianMs:F0}ms, N=10000: {small.MedianMs:F0}ms, K={Due})"));
        return small.Expired == Due * Rounds && large.Expired == Due * Rounds ? 0 : 1;
    }

    /// <summary>One prefix of tables holding N stored items; each round makes K more fall due and sweeps once.</summary>
    private sealed class Dataset(SweepServices services, ShiftableTimeProvider clock, int stored) : IDisposable
    {
        private readonly List<double> _times = [];
        private readonly SweepBenchmarkSeeder _seeder = new(services.Services.GetRequiredService<Tables>());
        private int _requests;

        public int Unbounded { get; private set; }

        public int Expired { get; private set; }

        public double MedianMs => _times.Order().ElementAt(_times.Count / 2);

        public double RequestsPerExpired => (double)_requests / Math.Max(1, Expired);

        public static async Task<Dataset> SeedAsync(string connectionString, ShiftableTimeProvider clock, int stored, CancellationToken cancellationToken)
        {
            var prefix = "bench" + stored.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
            var services = new SweepServices(connectionString, prefix, clock, new Dictionary<string, string?> { ["Expiry:TimeBudget"] = "00:10:00" });
            var dataset = new Dataset(services, clock, stored);
            var seeding = Stopwatch.StartNew();
            await dataset._seeder.SeedNotDueAsync(stored - Due, clock.GetUtcNow(), cancellationToken);
            Console.WriteLine($"N={stored}: seeded {stored - Due} not due in {seeding.ElapsedMilliseconds} ms");
            return dataset;
        }

        public async Task SweepRoundAsync(CancellationToken cancellationToken)
        {
            // K more things fall due, the clock passes them, one sweep runs.
            await _seeder.SeedDueAsync(Due, clock.GetUtcNow(), cancellationToken);
            clock.Advance(TimeSpan.FromMinutes(10));
            var sweep = services.Services.GetRequiredService<ExpirySweep>();
            services.Log.Clear();
            var timer = Stopwatch.StartNew();
            var report = await sweep.RunAsync(cancellationToken);
            timer.Stop();
            _times.Add(timer.Elapsed.TotalMilliseconds);
            _requests += services.Log.Requests.Count;
            Unbounded += services.Log.Unbounded.Count;
            Expired += report.Expired;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={stored}: {timer.ElapsedMilliseconds} ms, {services.Log.Requests.Count} requests ({services.Log.Queries.Count} queries, {report.PagesRead} pages), {report.Expired} expired ({report.ByKind()}), {report.IndexRowsDeleted} index rows deleted, {report.DayTablesDropped} day tables dropped, unbounded {services.Log.Unbounded.Count}"));
        }

        public void Dispose() => services.Dispose();
    }
}
