using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using OtpNet;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>
/// <c>check</c> against the local host on Kestrel and Azurite from parallel clients, next to the floor: the same
/// three Table round trips a check makes (read the verification, read the profile, one transaction writing the
/// profile with its ETag and an audit row), timed directly against the same Azurite in the same run.
/// Each user takes four wrong codes then the right one, so both verdicts are measured.
/// </summary>
public sealed partial class VerifyBenchmark : IBenchmark
{
    private const int ChecksPerUser = 5;

    public string Name => "verify";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var users = Option(args, "--users", 240);
        var clients = Option(args, "--clients", 16);
        var warmup = Math.Max(clients, users / 10);

        await using var host = new BenchmarkHost();
        await host.StartAsync();
        using var http = host.NewClient();

        Console.WriteLine($"Enrolling {users + warmup} users on {host.BaseUrl} ...");
        var enrolled = await ParallelMap(Enumerable.Range(0, users + warmup).ToList(), clients, i => EnrollAsync(host, http, i, cancellationToken));
        await ParallelMap(enrolled, clients, async u => u.VerificationId = await StartAsync(http, u.UserId, cancellationToken));

        // Warm-up: JIT, connection pools, the secret cache. Not measured.
        await RunChecksAsync(http, enrolled.Take(warmup).ToList(), clients, cancellationToken);

        var measured = enrolled.Skip(warmup).ToList();
        host.TableOps.Reset();
        host.Vault.ResetReads();
        var wall = Stopwatch.StartNew();
        var (latencies, unexpected) = await RunChecksAsync(http, measured, clients, cancellationToken);
        wall.Stop();
        var tableOps = host.TableOps.Count;
        var vaultReads = host.Vault.Reads;

        var floor = await RunFloorAsync(host, measured, clients, cancellationToken);

        var checks = latencies.Count;
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        var floorP50 = Percentile(floor, 0.50);
        Console.WriteLine(FormattableString.Invariant(
            $"checks={checks} clients={clients} unexpected-answers={unexpected} floor-p50={floorP50:F2}ms floor-p99={Percentile(floor, 0.99):F2}ms table-ops={tableOps} kv-reads={vaultReads}"));
        Console.WriteLine(FormattableString.Invariant(
            $"verify p50={p50:F2}ms p99={p99:F2}ms rps={checks / wall.Elapsed.TotalSeconds:F0} table-ops-per-check={(double)tableOps / checks:F2} floor-ratio={p50 / floorP50:F2} kv-reads-per-1000-checks={vaultReads * 1000.0 / checks:F1}"));
        return unexpected == 0 ? 0 : 1;
    }

    private static async Task<(List<double> Latencies, int Unexpected)> RunChecksAsync(HttpClient http, List<BenchUser> users, int clients, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(users.Count * ChecksPerUser);
        var unexpected = 0;
        await ParallelMap(users, clients, async user =>
        {
            for (var i = 0; i < ChecksPerUser; i++)
            {
                var right = i == ChecksPerUser - 1;
                var code = right ? user.CodeAt(TimeProvider.System.GetUtcNow().AddSeconds(30)) : "000000";
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync($"api/verifications/{user.VerificationId}/check", new { userId = user.UserId, code }, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var expected = right ? "\"approved\"" : "\"denied\"";
                lock (latencies)
                {
                    latencies.Add(elapsed);
                    unexpected += response.StatusCode == HttpStatusCode.OK && body.Contains(expected, StringComparison.Ordinal) ? 0 : 1;
                }
            }

            return user;
        });
        return (latencies, unexpected);
    }

    /// <summary>The same round trips on the same rows, straight from a plain client: read, read, one transaction.</summary>
    private static async Task<List<double>> RunFloorAsync(BenchmarkHost host, List<BenchUser> users, int clients, CancellationToken cancellationToken)
    {
        var service = new TableServiceClient(host.ConnectionString);
        var verifications = service.GetTableClient(host.TablePrefix + "Verifications");
        var profiles = service.GetTableClient(host.TablePrefix + "Users");
        var latencies = new List<double>(users.Count * ChecksPerUser);
        await ParallelMap(users, clients, async user =>
        {
            var userKey = (await verifications.GetEntityAsync<TableEntity>(user.VerificationId, "verification", cancellationToken: cancellationToken)).Value.GetString("UserKey");
            for (var i = 0; i < ChecksPerUser; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await verifications.GetEntityAsync<TableEntity>(user.VerificationId, "verification", cancellationToken: cancellationToken);
                var profile = (await profiles.GetEntityAsync<TableEntity>(userKey, "profile", cancellationToken: cancellationToken)).Value;
                var audit = new TableEntity(userKey, "audit-floor-" + Guid.NewGuid().ToString("N")) { ["Event"] = "denied", ["At"] = TimeProvider.System.GetUtcNow() };
                await profiles.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, profile, profile.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, audit),
                    ],
                    cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }

            return user;
        });
        return latencies;
    }

    private static async Task<BenchUser> EnrollAsync(BenchmarkHost host, HttpClient http, int index, CancellationToken cancellationToken)
    {
        var userId = "bench-" + index.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var phone = "+1201555" + (1000 + index).ToString("D4", CultureInfo.InvariantCulture);
        using (var started = await http.PostAsJsonAsync("api/enrollments", new { userId, phone }, cancellationToken))
        {
            Ensure(started, HttpStatusCode.Accepted, "start enrollment");
        }

        var text = host.Twilio.MessagesTo(phone)[^1].Body;
        var link = LinkPattern().Match(text).Groups[1].Value;
        string cookie;
        // The link's GET only shows the Continue page; its form post opens the setup.
        using (var opened = await http.PostAsync(link, new FormUrlEncodedContent([]), cancellationToken))
        {
            Ensure(opened, HttpStatusCode.SeeOther, "open link");
            cookie = opened.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        }

        var secret = (await PostAsync(http, "api/setup/authenticator", cookie, new { }, cancellationToken)).GetProperty("secret").GetString()!;
        var user = new BenchUser(userId, Base32Encoding.ToBytes(secret));
        await PostAsync(http, "api/setup/verify", cookie, new { code = user.CodeAt(TimeProvider.System.GetUtcNow()) }, cancellationToken);
        await PostAsync(http, "api/setup/complete", cookie, new { policy = "every-login", acknowledged = true }, cancellationToken);
        return user;
    }

    private static async Task<string> StartAsync(HttpClient http, string userId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/verifications", new { userId }, cancellationToken);
        Ensure(response, HttpStatusCode.OK, "start verification");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("verificationId").GetString()!;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string cookie, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, cancellationToken);
        Ensure(response, HttpStatusCode.OK, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    private static void Ensure(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}.");
        }
    }

    private static async Task<List<TOut>> ParallelMap<TIn, TOut>(IReadOnlyList<TIn> items, int workers, Func<TIn, Task<TOut>> work)
    {
        var results = new TOut[items.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                results[i] = await work(items[i]);
            }
        }));
        return [.. results];
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    [GeneratedRegex(@"https?://[^/\s]+(/s/[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    private sealed class BenchUser(string userId, byte[] seed)
    {
        public string UserId { get; } = userId;

        public string VerificationId { get; set; } = string.Empty;

        public string CodeAt(DateTimeOffset at) => new Totp(seed).ComputeTotp(at.UtcDateTime);
    }
}
