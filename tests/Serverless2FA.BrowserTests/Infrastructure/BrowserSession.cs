using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// One person's browser: a fresh context (its own cookies) and a page, with every console message and
/// script error recorded so a test can prove the page ran under its CSP without a violation.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => _console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _errors.Enqueue(error);
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleMessages => [.. _console];

    /// <summary>Chromium reports a blocked script, style or image as a console error naming the Content Security Policy.</summary>
    public IReadOnlyList<string> CspViolations
        => [.. _console.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))];

    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            // A phone's screen: the page is built for it first.
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    /// <summary>Fails with every violation and script error seen, so the message says what the page tried to do.</summary>
    public void AssertCleanRun()
    {
        Assert.True(CspViolations.Count == 0, "Content Security Policy violations:\n" + string.Join('\n', CspViolations));
        Assert.True(_errors.IsEmpty, "Script errors on the page:\n" + string.Join('\n', _errors));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
