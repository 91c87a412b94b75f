extern alias local;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// Signed inbound texts ("STATUS" from numbers the bot has never seen) from many numbers at once, against the local
/// host on Kestrel and an in-memory Azurite. Each such text costs the bot two Table round trips (claiming the
/// MessageSid, reading the phone's partition); the floor is those same two round trips timed directly against the
/// same Azurite at the same concurrency, so floor-ratio shows what HTTP, signature checking and the bot add.
/// </summary>
public sealed class WebhookBenchmark : IBenchmark
{
    private const int Concurrency = 8;
    private const int Requests = 3000;
    private const int Warmup = 300;
    private const int Numbers = 500;

    public string Name => "webhook";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true }, cancellationToken);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var origin = "http://127.0.0.1:" + FreePort().ToString(CultureInfo.InvariantCulture);
        var prefix = "w" + Guid.NewGuid().ToString("N")[..12];
        var secrets = Path.Combine(Path.GetTempPath(), "s2fa-bench", Guid.NewGuid().ToString("N"), "secrets.json");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["LocalHost:Timers"] = "false",
            [WebHostDefaults.ServerUrlsKey] = origin,
            ["PublicBaseUrl"] = origin,
            ["Twilio:AuthToken"] = token,
            ["KeyVault:LocalFile"] = secrets,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var factory = new WebApplicationFactory<local::Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // Outside a test run WebApplicationFactory guesses the content root from the working directory.
            builder.UseContentRoot(LocalHostFolder());
        });
        factory.UseKestrel();
        factory.StartServer();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(origin) };
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
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/twilio/sms") { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(token, origin + "/api/twilio/sms", form));
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

        await RunAsync(Warmup, TextAsync);
        var wall = Stopwatch.StartNew();
        var webhook = await RunAsync(Requests, TextAsync);
        var rps = Requests / wall.Elapsed.TotalSeconds;

        // The floor: the bot's two round trips for such a text, straight against the same Azurite.
        var service = new TableServiceClient(azurite.ConnectionString);
        var claims = service.GetTableClient(prefix + "FloorMessages");
        var phones = service.GetTableClient(prefix + "Phones");
        await claims.CreateIfNotExistsAsync(cancellationToken);
        async Task<double> FloorAsync(int i)
        {
            var started = Stopwatch.GetTimestamp();
            await claims.AddEntityAsync(new TableEntity(TwilioSignature.NewMessageSid(), "in") { ["At"] = DateTimeOffset.UtcNow }, cancellationToken);
            await foreach (var row in phones.QueryAsync<TableEntity>($"PartitionKey eq 'p{i % Numbers:D40}'", cancellationToken: cancellationToken))
            {
                _ = row;
            }

            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        await RunAsync(Warmup, FloorAsync);
        var floor = await RunAsync(Requests, FloorAsync);

        var p50 = Percentile(webhook, 0.50);
        var p99 = Percentile(webhook, 0.99);
        var floorP50 = Percentile(floor, 0.50);
        Console.WriteLine($"concurrency={Concurrency} requests={Requests} numbers={Numbers} floor p50={floorP50:F2}ms p99={Percentile(floor, 0.99):F2}ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"webhook p50={p50:F2}ms p99={p99:F2}ms rps={rps:F0} floor-ratio={p50 / floorP50:F2}"));
        var folder = Path.GetDirectoryName(secrets)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task<double[]> RunAsync(int count, Func<int, Task<double>> call)
    {
        var results = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
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

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string LocalHostFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless2FA.sln")))
            {
                return Path.Combine(dir.FullName, "functions", "Serverless2FA.Local");
            }
        }

        throw new InvalidOperationException("Run the benchmark from a clone of the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
