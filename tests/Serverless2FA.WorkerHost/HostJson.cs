using System.Text.Json;

namespace Serverless2FA.WorkerHost;

/// <summary>The parts of <c>host.json</c> this host honours.</summary>
internal static class HostJson
{
    private const string DefaultRoutePrefix = "api";

    /// <summary><c>extensions.http.routePrefix</c>; the host's default is <c>api</c>, and <c>""</c> means none.</summary>
    public static string RoutePrefix(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            return DefaultRoutePrefix;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Property(document.RootElement, "extensions") is { } extensions
            && Property(extensions, "http") is { } http
            && Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix
                ? prefix.GetString()!.Trim('/')
                : DefaultRoutePrefix;
    }

    // host.json is read case-insensitively by the host.
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
