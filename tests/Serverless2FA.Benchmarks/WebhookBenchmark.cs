using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Serverless2FA.Benchmarks.Verify;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// Signed inbound texts ("STATUS" from numbers the bot has never seen) from many numbers at once, against the local
/// host on Kestrel and an in-memory Azurite. The host's Table client counts its round trips by kind; the floor then
/// makes that many round trips of those kinds (checked: it counts its own the same way) directly against the same
/// Azurite and tables at the same concurrency, so floor-ratio shows what HTTP, signature checking and the bot add.
/// CPU per request is read for this process (client and server) and for Azurite, in both phases.
/// </summary>
public sealed partial class WebhookBenchmark : IBenchmark
{
    private const int DefaultConcurrency = 8;
    private const int Requests = 3000;
    private const int Warmup = 300;
    private const int Rounds = 6;
    private const int Numbers = 500;

    public string Name => "webhook";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        // --concurrency 1 shows the round trips' latency; at 8 the single-threaded Azurite is saturated and latency
        // follows its CPU per request.
        var at = Array.IndexOf(args, "--concurrency");
        var concurrency = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : DefaultConcurrency;
        await using var host = new BenchmarkHost();
        await host.StartAsync();
        using var http = host.NewClient();
        var url = new Uri(host.BaseUrl, "api/twilio/sms");
        var token = host.Twilio.AuthToken;
        var numbers = Enumerable.Range(0, Numbers).Select(i => "+1201555" + (1000 + i).ToString("D4", CultureInfo.InvariantCulture)).ToArray();
        async Task<double> TextAsync(int i)
        {
            var form = new Dictionary<string, string>
            {
                ["MessageSid"] = TwilioSignature.NewMessageSid(),
                ["From"] = numbers[i % numbers.Length],
                ["To"] = "+15005550006",
                ["Body"] = "STATUS",
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(token, url.ToString(), form));
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK || !body.Contains("<Message>", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The webhook answered {(int)response.StatusCode}: {body}");
            }

            return elapsed;
        }

        await RunAsync(Warmup, concurrency, TextAsync);
        host.TableOps.Reset();
        var (webhook, webhookRps, webhookCpu) = await MeasureAsync(TextAsync, concurrency, Warmup);
        var floorCounter = new TableOpCounter(host.TablePrefix);
        var floor = new WebhookFloor(host.ConnectionString, host.TablePrefix, floorCounter, Numbers);
        if (!floor.Makes(host.TableOps.Kinds, Warmup, out var expected))
        {
            Console.Error.WriteLine("The webhook's round trips are not the floor's: " + Describe(host.TableOps.Kinds, Warmup) + " vs " + expected);
            return 1;
        }

        await floor.PrepareAsync(cancellationToken);
        await RunAsync(Warmup, concurrency, i => floor.RunOnceAsync(i, cancellationToken));

        // Measured in alternating rounds so both see the same table sizes (Azurite slows as they grow) and the same
        // load from whatever else the machine runs.
        host.TableOps.Reset();
        floorCounter.Reset();
        var webhookLatencies = new List<double>(Requests);
        var floorLatencies = new List<double>(Requests);
        double webhookSeconds = 0, webhookSelf = 0, webhookAzurite = 0, floorSelf = 0, floorAzurite = 0;
        for (var round = 0; round < Rounds; round++)
        {
            (webhook, webhookRps, webhookCpu) = await MeasureAsync(TextAsync, concurrency, Requests / Rounds);
            webhookLatencies.AddRange(webhook);
            webhookSeconds += Requests / Rounds / webhookRps;
            (webhookSelf, webhookAzurite) = (webhookSelf + webhookCpu.Self, webhookAzurite + webhookCpu.Children);
            var (floorRound, _, floorCpu) = await MeasureAsync(i => floor.RunOnceAsync(i, cancellationToken), concurrency, Requests / Rounds);
            floorLatencies.AddRange(floorRound);
            (floorSelf, floorAzurite) = (floorSelf + floorCpu.Self, floorAzurite + floorCpu.Children);
        }

        var webhookOps = host.TableOps.Kinds;
        if (Describe(floorCounter.Kinds, Requests) != Describe(webhookOps, Requests))
        {
            Console.Error.WriteLine("The floor made " + Describe(floorCounter.Kinds, Requests) + ", the webhook " + Describe(webhookOps, Requests));
            return 1;
        }

        webhook = [.. webhookLatencies.Order()];
        var floorSorted = floorLatencies.Order().ToArray();
        var p50 = Percentile(webhook, 0.50);
        var floorP50 = Percentile(floorSorted, 0.50);
        Console.WriteLine(FormattableString.Invariant(
            $"concurrency={concurrency} requests={Requests} rounds={Rounds} numbers={Numbers} table-ops: {Describe(webhookOps, Requests)}"));
        Console.WriteLine(FormattableString.Invariant(
            $"floor p50={floorP50:F2}ms p99={Percentile(floorSorted, 0.99):F2}ms cpu/req: client={floorSelf / Rounds:F3}ms azurite={floorAzurite / Rounds:F3}ms"));
        Console.WriteLine(FormattableString.Invariant(
            $"webhook cpu/req: client+server={webhookSelf / Rounds:F3}ms azurite={webhookAzurite / Rounds:F3}ms"));
        Console.WriteLine(FormattableString.Invariant(
            $"webhook p50={p50:F2}ms p99={Percentile(webhook, 0.99):F2}ms rps={Requests / webhookSeconds:F0} table-ops-per-webhook={webhookOps.Values.Sum() / (double)Requests:F2} floor-ratio={p50 / floorP50:F2}"));
        return 0;
    }
    /// <summary>"1.00 insert Messages + 1.00 query Phones ..." per request.</summary>
    internal static string Describe(IReadOnlyDictionary<string, long> kinds, int requests)
        => string.Join(" + ", kinds
            .GroupBy(k => DayTable().Replace(k.Key, "Expiry{day}"), k => k.Value)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => FormattableString.Invariant($"{g.Sum() / (double)requests:F2} {g.Key}")));

    [System.Text.RegularExpressions.GeneratedRegex(@"Expiry\d{8}$")]
    private static partial System.Text.RegularExpressions.Regex DayTable();

    /// <returns>Sorted latencies, requests per second, and CPU milliseconds per request of this process and of Azurite.</returns>
    internal static async Task<(double[] Latencies, double Rps, (double Self, double Children) CpuMs)> MeasureAsync(Func<int, Task<double>> call, int concurrency, int count)
    {
        var cpuBefore = ProcessCpu.Now();
        var wall = Stopwatch.StartNew();
        var latencies = await RunAsync(count, concurrency, call);
        var rps = count / wall.Elapsed.TotalSeconds;
        var cpuAfter = ProcessCpu.Now();
        return (latencies, rps, ((cpuAfter.Self - cpuBefore.Self).TotalMilliseconds / count, (cpuAfter.Children - cpuBefore.Children).TotalMilliseconds / count));
    }

    internal static async Task<double[]> RunAsync(int count, int concurrency, Func<int, Task<double>> call)
    {
        var results = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                results[i] = await call(i);
            }
        }));
        Array.Sort(results);
        return results;
    }

    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
