using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;
using Serverless2FA.WorkerHost;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// Cold start as Azure sees it: the published worker process started under the protocol-level Functions host, from
/// process start to its first 200 (the host asks for metadata and loads every function first, as the real host
/// does). The app (GET api/health, which reads Table Storage and the secrets) is set beside a bare
/// FunctionsApplication with one HTTP function (tests/Serverless2FA.ColdStartSample), each published plain (JIT)
/// and ReadyToRun; the variants take turns, so drift on the shared machine falls on all of them alike.
/// </summary>
public sealed class ColdStartBenchmark : IBenchmark
{
    private const int DefaultRuns = 10;

    public string Name => "coldstart";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var at = Array.IndexOf(args, "--runs");
        var runs = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : DefaultRuns;
        var work = Path.Combine(Path.GetTempPath(), "s2fa-coldstart", Guid.NewGuid().ToString("N"));
        var app = Path.Combine(RepositoryFiles.Root, "functions", "Serverless2FA.Functions", "Serverless2FA.Functions.csproj");
        var bare = Path.Combine(RepositoryFiles.Root, "tests", "Serverless2FA.ColdStartSample", "Serverless2FA.ColdStartSample.csproj");
        Variant[] variants =
        [
            new("app", app, ReadyToRun: false, "api/health"),
            new("app R2R", app, ReadyToRun: true, "api/health"),
            new("bare", bare, ReadyToRun: false, "api/hello"),
            new("bare R2R", bare, ReadyToRun: true, "api/hello"),
        ];

        try
        {
            foreach (var variant in variants)
            {
                await PublishAsync(variant, Path.Combine(work, variant.Folder), cancellationToken);
            }

            await using var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = false }, cancellationToken);
            var settings = new Dictionary<string, string?>
            {
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:TablePrefix"] = "cold",
                ["KeyVault:LocalFile"] = Path.Combine(work, "secrets.json"),
                ["ExpirySchedule"] = "0 * * * * *",
            };

            // One unmeasured start each: the OS file cache, the tables and the secret file are then as on a warm machine.
            foreach (var variant in variants)
            {
                await StartOnceAsync(variant, work, settings, cancellationToken);
            }

            for (var run = 0; run < runs; run++)
            {
                foreach (var variant in variants)
                {
                    variant.Samples.Add(await StartOnceAsync(variant, work, settings, cancellationToken));
                }

                Console.Error.WriteLine($"run {run + 1}/{runs}: " + string.Join(", ", variants.Select(v => $"{v.Name} {v.Samples[^1].FirstOk:F0} ms")));
            }

            foreach (var variant in variants)
            {
                Console.WriteLine(
                    $"{variant.Name,-9} start -> functions loaded p50 {P50(variant, s => s.Loaded):F0} ms; start -> first 200 p50 {P50(variant, s => s.FirstOk):F0} ms, max {variant.Samples.Max(s => s.FirstOk):F0} ms");
            }

            var (appJit, appR2R, bareJit, bareR2R) = (P50(variants[0], s => s.FirstOk), P50(variants[1], s => s.FirstOk), P50(variants[2], s => s.FirstOk), P50(variants[3], s => s.FirstOk));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"coldstart ({runs} runs, process start -> first 200, p50): app/bare {appJit / bareJit:F2} (JIT), {appR2R / bareR2R:F2} (ReadyToRun); ReadyToRun/JIT app {appR2R / appJit:F2}, bare {bareR2R / bareJit:F2}; app max/p50 {variants[0].Samples.Max(s => s.FirstOk) / appJit:F2}"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<Sample> StartOnceAsync(Variant variant, string work, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        await using var host = await FunctionsHost.StartAsync(new WorkerHostOptions { AppDirectory = Path.Combine(work, variant.Folder), Settings = settings }, cancellationToken);
        var loaded = Stopwatch.GetElapsedTime(host.WorkerStartedAt).TotalMilliseconds;
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using var response = await client.GetAsync(variant.Path, cancellationToken);
        var firstOk = Stopwatch.GetElapsedTime(host.WorkerStartedAt).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"{variant.Name}: GET {variant.Path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}"
                + Environment.NewLine + string.Join(Environment.NewLine, host.Logs.TakeLast(40)));
        }

        return new Sample(loaded, firstOk);
    }

    /// <summary>Published as Azure gets it: Release, framework-dependent; ReadyToRun compiled ahead for this machine's platform.</summary>
    private static async Task PublishAsync(Variant variant, string output, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"publishing {variant.Name} ...");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", variant.Project, "-c", "Release", "-o", output, "-nologo", "-v", "quiet" })
        {
            info.ArgumentList.Add(argument);
        }

        if (variant.ReadyToRun)
        {
            foreach (var argument in new[] { "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true" })
            {
                info.ArgumentList.Add(argument);
            }
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of {variant.Name} failed:{Environment.NewLine}{await stdout}{await stderr}");
        }
    }

    private static double P50(Variant variant, Func<Sample, double> value)
    {
        var sorted = variant.Samples.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed record Variant(string Name, string Project, bool ReadyToRun, string Path)
    {
        public string Folder => Name.Replace(' ', '-');

        public List<Sample> Samples { get; } = [];
    }

    /// <param name="Loaded">Milliseconds from process start to the last FunctionLoadResponse.</param>
    /// <param name="FirstOk">Milliseconds from process start to the first 200.</param>
    private sealed record Sample(double Loaded, double FirstOk);
}
