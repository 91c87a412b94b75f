using System.ComponentModel;
using System.Diagnostics;

namespace Serverless2FA.Local.Azurite;

/// <summary>
/// Installs the repository's pinned npm packages (<c>npm ci</c>) once, streaming npm's output so a
/// first run shows what it is doing. One install at a time in this process and, through a lock file,
/// across processes (a test run and a local host starting together).
/// </summary>
internal sealed partial class NpmInstaller(ILogger logger)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task EnsureInstalledAsync(string repositoryRoot, string expectedFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await LockAsync(repositoryRoot, timeout, cancellationToken).ConfigureAwait(false);
            if (File.Exists(expectedFile))
            {
                return;
            }

            LogInstalling(repositoryRoot);
            await RunNpmCiAsync(repositoryRoot, timeout, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(expectedFile))
            {
                throw new InvalidOperationException($"npm ci finished but {expectedFile} is still missing; is 'azurite' in package.json?");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task RunNpmCiAsync(string repositoryRoot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            {
                ArgumentList = { "ci", "--no-audit", "--no-fund" },
                WorkingDirectory = repositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var output = ProcessOutput.Attach(process, line => LogNpm(line));
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "Starting Azurite needs Node.js and npm on PATH (or set Storage:ConnectionString to a storage account).", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"npm ci did not finish within {timeout}. Its output:{Environment.NewLine}{output}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {process.ExitCode}. Its output:{Environment.NewLine}{output}");
        }
    }

    private static async Task<FileStream> LockAsync(string repositoryRoot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(repositoryRoot, ".local", "npm-install.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Installing the pinned Azurite with npm ci in {RepositoryRoot} (first run only)")]
    private partial void LogInstalling(string repositoryRoot);

    [LoggerMessage(LogLevel.Information, "npm: {Line}")]
    private partial void LogNpm(string line);
}
