using System.Text.RegularExpressions;

namespace Serverless2FA.Functions.Telemetry;

/// <summary>
/// The routes whose path is a secret: <c>s/{token}</c> (the texted setup link) and <c>c/{token}</c> (the
/// emergency-codes link). Anything written about a request names them by their route template instead.
/// </summary>
public static partial class TokenPaths
{
    /// <summary>
    /// Replaces the token of every <c>/s/…</c> or <c>/c/…</c> path at the start of a path, after a URL's host, or after
    /// a space ("GET /s/…"), with <c>{token}</c>; other text is left as it is.
    /// </summary>
    public static string? Redact(string? text)
        => string.IsNullOrEmpty(text) ? text : TokenPath().Replace(text, "${before}/${kind}/{token}");

    public static bool Contains(string? text) => !string.IsNullOrEmpty(text) && TokenPath().IsMatch(text);

    [GeneratedRegex(@"(?<before>^|\s|//[^/\s?#]*)/(?<kind>[sc])/(?!\{token\})[A-Za-z0-9_%-]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPath();
}
