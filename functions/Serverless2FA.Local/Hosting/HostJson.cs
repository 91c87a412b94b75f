using System.Text.Json;

namespace Serverless2FA.Local.Hosting;

/// <summary>The parts of host.json the local host honours.</summary>
internal static class HostJson
{
    /// <summary>The Functions host's default when host.json does not set <c>extensions.http.routePrefix</c>.</summary>
    public const string DefaultRoutePrefix = "api";

    /// <summary>Reads <c>extensions.http.routePrefix</c> from host.json in <paramref name="directory"/> (the app base directory, where the build copies it).</summary>
    public static string ReadRoutePrefix(string directory)
    {
        var path = Path.Combine(directory, "host.json");
        if (!File.Exists(path))
        {
            return DefaultRoutePrefix;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
                ? prefix.GetString()!
                : DefaultRoutePrefix;
    }
}
