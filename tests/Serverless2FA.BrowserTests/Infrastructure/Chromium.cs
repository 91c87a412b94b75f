using Microsoft.Playwright;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium, not a Playwright browser download (which cannot be fetched on CI machines
/// without internet). A missing browser fails the tests with what to do; it never skips them.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static string? MissingReason => File.Exists(ExecutablePath)
        ? null
        : $"Chromium was not found at {ExecutablePath}. The browser tests drive Debian's chromium package, not a " +
          "Playwright download: run tests/run.sh, which installs it (apt-get install chromium).";

    public static BrowserTypeLaunchOptions LaunchOptions => new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        // Root in a container has no user namespace sandbox; the rest keeps a test run off the network.
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ],
    };
}
