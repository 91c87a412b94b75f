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
        await MeasureAsync(azurite.ConnectionString, clock, 2_000, cancellationToken);
        var small = await MeasureAsync(azurite.ConnectionString, clock, 10_000, cancellationToken);
        var large = await MeasureAsync(azurite.ConnectionString, clock, 100_000, cancellationToken);

        var ratio = large.MedianMs / small.MedianMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N=10000: requests-per-expired={small.RequestsPerExpired:F3}; N=100000: requests-per-expired={large.RequestsPerExpired:F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep-scaling ratio={ratio:F2} requests-per-expired={large.RequestsPerExpired:F3} unbounded-queries={small.Unbounded + large.Unbounded} (N=100000: {large.MedianMs:F0}ms, N=10000: {small.MedianMs:F0}ms, K={Due})"));
        return small.Expired == Due * Rounds && large.Expired == Due * Rounds ? 0 : 1;
    }

    private static async Task<Measurement> MeasureAsync(string connectionString, ShiftableTimeProvider clock, int stored, CancellationToken cancellationToken)
    {
        var prefix = "bench" + stored.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
        using var services = new SweepServices(connectionString, prefix, clock, new Dictionary<string, string?> { ["Expiry:TimeBudget"] = "00:10:00" });
        var seeder = new SweepBenchmarkSeeder(services.Services.GetRequiredService<Tables>());
        var seeding = Stopwatch.StartNew();
        await seeder.SeedNotDueAsync(stored - Due, clock.GetUtcNow(), cancellationToken);
        Console.WriteLine($"N={stored}: seeded {stored - Due} not due in {seeding.ElapsedMilliseconds} ms");

        var times = new List<double>();
        int requests = 0, expired = 0, unbounded = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // Each round: K more things fall due, the clock passes them, one sweep runs.
            await seeder.SeedDueAsync(Due, clock.GetUtcNow(), cancellationToken);
            clock.Advance(TimeSpan.FromMinutes(10));
            var sweep = services.Services.GetRequiredService<ExpirySweep>();
            services.Log.Clear();
            var timer = Stopwatch.StartNew();
            var report = await sweep.RunAsync(cancellationToken);
            timer.Stop();
            times.Add(timer.Elapsed.TotalMilliseconds);
            requests += services.Log.Requests.Count;
            unbounded += services.Log.Unbounded.Count;
            expired += report.Expired;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={stored} round {round + 1}: {timer.ElapsedMilliseconds} ms, {services.Log.Requests.Count} requests ({services.Log.Queries.Count} queries, {report.PagesRead} pages), {report.Expired} expired ({report.ByKind()}), {report.IndexRowsDeleted} index rows deleted, unbounded {services.Log.Unbounded.Count}"));
        }

        times.Sort();
        return new Measurement(times[times.Count / 2], (double)requests / Math.Max(1, expired), unbounded, expired);
    }

    private sealed record Measurement(double MedianMs, double RequestsPerExpired, int Unbounded, int Expired);
}
