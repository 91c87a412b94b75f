namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// Reads the operations (path and method) from an OpenAPI document's <c>paths:</c> section: path keys
/// at two spaces of indent, methods at four. Enough for a document written by hand in that layout.
/// </summary>
public static class OpenApiPaths
{
    private static readonly HashSet<string> Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static IReadOnlySet<(string Path, string Method)> Parse(string yaml)
    {
        var operations = new HashSet<(string, string)>();
        var inPaths = false;
        string? path = null;
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                inPaths = line.StartsWith("paths:", StringComparison.Ordinal);
                path = null;
                continue;
            }

            if (!inPaths)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var key = Key(line);
            if (indent == 2 && key is not null)
            {
                path = key;
            }
            else if (indent == 4 && path is not null && key is not null && Methods.Contains(key.ToLowerInvariant()))
            {
                operations.Add((path, key.ToUpperInvariant()));
            }
        }

        return operations;
    }

    private static string? Key(string line)
    {
        var text = line.Trim();
        var end = text.EndsWith(':') ? text.Length - 1 : text.IndexOf(": ", StringComparison.Ordinal);
        return end <= 0 || text.StartsWith('-') ? null : text[..end].Trim().Trim('\'', '"');
    }
}
