using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;

namespace Serverless2FA.Functions.Http;

/// <summary>The setup page's files, embedded in this assembly from wwwroot/.</summary>
public static class StaticPages
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    };

    /// <returns>The file, or null when there is no such file (names are matched exactly; no paths).</returns>
    public static IActionResult? File(string name, int status = 200)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        var bytes = Cache.GetOrAdd(name, Load);
        return bytes is null ? null : new FileContentResultWithStatus(bytes, contentType, status);
    }

    /// <summary>A page's text, for the one page filled in per request (the emergency codes); throws when it is missing.</summary>
    public static string Text(string name)
        => System.Text.Encoding.UTF8.GetString(Cache.GetOrAdd(name, Load) ?? throw new InvalidOperationException($"No page {name} is embedded."));

    private static byte[]? Load(string name)
    {
        using var stream = typeof(StaticPages).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A file result that can carry a status other than 200 (the expired-link page is a 410).</summary>
    private sealed class FileContentResultWithStatus(byte[] bytes, string contentType, int status) : ContentResult
    {
        public override Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = bytes.Length;
            return response.Body.WriteAsync(bytes, 0, bytes.Length, context.HttpContext.RequestAborted);
        }
    }
}
