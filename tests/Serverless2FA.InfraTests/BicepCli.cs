using System.Diagnostics;

namespace Serverless2FA.InfraTests;

internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    /// <summary>Everything the CLI printed: diagnostics go to stderr, but nothing should be anywhere.</summary>
    public string AllOutput => (Output + Errors).Trim();
}

/// <summary>Runs the Bicep CLI from the NuGet cache.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<BicepResult> BuildAsync(string bicepFile, string outputFolder) =>
        RunAsync("build", bicepFile, "--outdir", outputFolder);

    public static Task<BicepResult> LintAsync(string bicepFile) => RunAsync("lint", bicepFile);

    private static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(TestEnvironment.BicepExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestEnvironment.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // No telemetry, and no prompt-like behaviour in CI.
        startInfo.Environment["BICEP_TELEMETRY_ENABLED"] = "false";

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {TestEnvironment.BicepExecutable}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran longer than {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await output, await errors);
    }
}
