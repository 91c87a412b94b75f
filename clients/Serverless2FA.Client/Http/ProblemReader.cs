using System.Net.Http.Headers;
using System.Text.Json;

namespace Serverless2FA.Client.Http;

/// <summary>Reads an error answer as a <see cref="Problem"/>; a body that is not a problem still gives one, from the status.</summary>
internal static class ProblemReader
{
    private static readonly HashSet<string> Standard = ["type", "title", "status", "detail", "errors"];

    public static async Task<Problem> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = ResilienceSetup.RetryAfter(response, time);
        JsonElement? body = null;
        if (IsJson(response.Content.Headers.ContentType))
        {
            try
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                using var document = JsonDocument.Parse(text);
                body = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        if (body is not { } problem)
        {
            return new Problem { Type = "about:blank", Status = status, Title = response.ReasonPhrase, RetryAfter = retryAfter };
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (problem.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                    ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                    : [field.Value.ToString()];
            }
        }

        return new Problem
        {
            Type = String(problem, "type") ?? "about:blank",
            Status = problem.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : status,
            Title = String(problem, "title") ?? response.ReasonPhrase,
            Detail = String(problem, "detail"),
            Errors = errors,
            Extensions = problem.EnumerateObject().Where(p => !Standard.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.Clone()),
            RetryAfter = retryAfter,
        };
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsJson(MediaTypeHeaderValue? type)
        => type?.MediaType is { } media
           && (media.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase) || media.Equals("application/json", StringComparison.OrdinalIgnoreCase));
}
