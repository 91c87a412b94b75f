using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Serverless2FA.Benchmarks.Verify;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// The sending path from parallel clients, against the local host on Kestrel, an in-memory Azurite and the Twilio
/// stand-in: texted log-in starts (<c>POST api/verifications</c> for users enrolled by text: a code goes out) and
/// enrollment starts (<c>POST api/enrollments</c> for new users: a setup link goes out, past the pumping guard), each
/// in rounds alternating with its <see cref="SendFloor"/>, which makes the round trips that round was counted making.
/// The limits are set far above the load (both the settings before and after per-purpose budgets), so nothing is
/// refused, and the numbers are spread over 400 1,000-number blocks.
/// </summary>
public sealed partial class SendBenchmark : IBenchmark
{
    private const int Rounds = 4;

    private static readonly Dictionary<string, string?> Limits = new()
    {
        // Before per-purpose budgets (issue 11) the one per-number limit; unknown settings are ignored on either side.
        ["Sms:PerNumberPerHour"] = "1000",
        ["Sms:LoginPerNumberPerHour"] = "1000",
        ["Sms:EnrollmentPerNumberPerHour"] = "1000",
        ["Sms:NoticePerNumberPerHour"] = "1000",
        ["Sms:PerUserPerHour"] = "1000",
        ["Sms:PerCountryPerHour"] = "100000000",
        ["Sms:PerDay"] = "100000000",
        ["Sms:PumpingMinSends"] = "100000000",
    };

    public string Name => "send";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var users = VerifyBenchmark.Option(args, "--users", 600) / Rounds * Rounds;
        var clients = VerifyBenchmark.Option(args, "--clients", 8);
        var warmup = Math.Max(clients, users / 10);

        await using var host = new BenchmarkHost();
        await host.StartAsync(Limits);
        using var http = host.NewClient();

        Console.WriteLine($"Enrolling {users + warmup} users by text on {host.BaseUrl} ...");
        var enrolled = await VerifyBenchmark.ParallelMap(Enumerable.Range(0, users + warmup).ToList(), clients, i => EnrollByTextAsync(host, http, i, cancellationToken));
        var newcomers = Enumerable.Range(0, users + warmup).Select(i => (UserId: NewUserId("new", i), Phone: Phone(6, i))).ToArray();

        async Task<double> LogInAsync(string userId)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("api/verifications", new { userId }, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return response.StatusCode == HttpStatusCode.OK && body.Contains("\"sms\"", StringComparison.Ordinal)
                ? elapsed
                : throw new InvalidOperationException($"A texted log-in start answered {(int)response.StatusCode}: {body}");
        }

        async Task<double> EnrollmentAsync((string UserId, string Phone) newcomer)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("api/enrollments", new { userId = newcomer.UserId, phone = newcomer.Phone }, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return response.StatusCode == HttpStatusCode.Accepted
                ? elapsed
                : throw new InvalidOperationException($"An enrollment start answered {(int)response.StatusCode}: {body}");
        }

        using var floor = new SendFloor(host.ConnectionString, host.TablePrefix, new TableOpCounter(host.TablePrefix), host.Twilio);
        var logIn = await MeasureAsync(host, floor, i => LogInAsync(enrolled[i]), warmup, users, clients, cancellationToken);
        var enrollment = await MeasureAsync(host, floor, i => EnrollmentAsync(newcomers[i]), warmup, users, clients, cancellationToken);
        if (logIn is null || enrollment is null)
        {
            return 1;
        }

        Console.WriteLine(FormattableString.Invariant($"requests={users} per path clients={clients} rounds={Rounds} blocks=400"));
        logIn.PrintDetails("login");
        enrollment.PrintDetails("enrollment");
        logIn.PrintResult("login");
        enrollment.PrintResult("enrollment");
        return 0;
    }

    /// <summary>Warms the path and its floor up on the first <paramref name="warmup"/> items, then measures the next <paramref name="count"/> in rounds alternating with the floor.</summary>
    /// <returns>Null when the floor did not make the path's round trips (said on stderr).</returns>
    private static async Task<PathResult?> MeasureAsync(
        BenchmarkHost host, SendFloor floor, Func<int, Task<double>> send, int warmup, int count, int clients, CancellationToken cancellationToken)
    {
        host.TableOps.Reset();
        await WebhookBenchmark.RunAsync(warmup, clients, send);
        var plan = await floor.PlanAsync(host.TableOps.Kinds, warmup, cancellationToken);
        await WebhookBenchmark.RunAsync(warmup, clients, i => floor.RunOnceAsync(plan, i, cancellationToken));

        var result = new PathResult(count);
        var perRound = count / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            var first = warmup + round * perRound;
            host.TableOps.Reset();
            var (latencies, rps, cpu) = await WebhookBenchmark.MeasureAsync(i => send(first + i), clients, perRound);
            var kinds = host.TableOps.Kinds;
            result.Add(latencies, perRound / rps, cpu, kinds);

            plan = await floor.PlanAsync(kinds, perRound, cancellationToken);
            var (floorLatencies, _, floorCpu) = await WebhookBenchmark.MeasureAsync(i => floor.RunOnceAsync(plan, i, cancellationToken), clients, perRound);
            result.AddFloor(floorLatencies, floorCpu);
            if (WebhookBenchmark.Describe(floor.Counter.Kinds, perRound) != WebhookBenchmark.Describe(kinds, perRound))
            {
                Console.Error.WriteLine("The floor made " + WebhookBenchmark.Describe(floor.Counter.Kinds, perRound) + ", the path " + WebhookBenchmark.Describe(kinds, perRound));
                return null;
            }
        }

        return result;
    }

    /// <summary>Enrolls a user whose factor is codes by text, as a person does on the setup page.</summary>
    private static async Task<string> EnrollByTextAsync(BenchmarkHost host, HttpClient http, int index, CancellationToken cancellationToken)
    {
        var userId = NewUserId("bench", index);
        var phone = Phone(5, index);
        var cookie = await VerifyBenchmark.OpenSetupAsync(host, http, userId, phone, cancellationToken);
        await VerifyBenchmark.PostAsync(http, "api/setup/sms", cookie, new { }, cancellationToken, HttpStatusCode.Accepted);
        var code = CodePattern().Match(host.Twilio.MessagesTo(phone)[^1].Body).Groups[1].Value;
        await VerifyBenchmark.PostAsync(http, "api/setup/verify", cookie, new { code }, cancellationToken);
        await VerifyBenchmark.PostAsync(http, "api/setup/complete", cookie, new { policy = "every-login", acknowledged = true }, cancellationToken);
        return userId;
    }

    private static string NewUserId(string kind, int index)
        => kind + "-" + index.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>+1 201 NXX-dLLL: consecutive indexes in different 1,000-number blocks (400 exchanges), <paramref name="digit"/> keeping sets of numbers apart.</summary>
    private static string Phone(int digit, int index)
        => string.Create(CultureInfo.InvariantCulture, $"+1201{200 + index % 400}{digit}{index / 400 % 1000:D3}");

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex CodePattern();

    private sealed class PathResult(int count)
    {
        private readonly List<double> _latencies = new(count);
        private readonly List<double> _floor = new(count);
        private readonly Dictionary<string, long> _kinds = new(StringComparer.Ordinal);
        private double _seconds;
        private double _self;
        private double _azurite;
        private double _floorSelf;
        private double _floorAzurite;

        public void Add(double[] latencies, double seconds, (double Self, double Children) cpu, IReadOnlyDictionary<string, long> kinds)
        {
            _latencies.AddRange(latencies);
            _seconds += seconds;
            (_self, _azurite) = (_self + cpu.Self / Rounds, _azurite + cpu.Children / Rounds);
            foreach (var (kind, n) in kinds)
            {
                _kinds[kind] = _kinds.GetValueOrDefault(kind) + n;
            }
        }

        public void AddFloor(double[] latencies, (double Self, double Children) cpu)
        {
            _floor.AddRange(latencies);
            (_floorSelf, _floorAzurite) = (_floorSelf + cpu.Self / Rounds, _floorAzurite + cpu.Children / Rounds);
        }

        public void PrintDetails(string path)
        {
            double[] floor = [.. _floor.Order()];
            Console.WriteLine(FormattableString.Invariant($"{path} table-ops: {WebhookBenchmark.Describe(_kinds, count)}"));
            Console.WriteLine(FormattableString.Invariant(
                $"{path} floor p50={WebhookBenchmark.Percentile(floor, 0.50):F2}ms p99={WebhookBenchmark.Percentile(floor, 0.99):F2}ms cpu/req: client={_floorSelf:F3}ms azurite={_floorAzurite:F3}ms; send cpu/req: client+server={_self:F3}ms azurite={_azurite:F3}ms"));
        }

        public void PrintResult(string path)
        {
            double[] sends = [.. _latencies.Order()];
            double[] floor = [.. _floor.Order()];
            var p50 = WebhookBenchmark.Percentile(sends, 0.50);
            Console.WriteLine(FormattableString.Invariant(
                $"send {path} p50={p50:F2}ms p99={WebhookBenchmark.Percentile(sends, 0.99):F2}ms rps={count / _seconds:F0} table-ops-per-send={_kinds.Values.Sum() / (double)count:F2} floor-ratio={p50 / WebhookBenchmark.Percentile(floor, 0.50):F2}"));
        }
    }
}
