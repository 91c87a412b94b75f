using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Reads a JSON request body. Only <c>application/json</c> is accepted (a cross-site form cannot send
/// it); anything malformed is a 4xx problem, never an exception.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    /// <param name="optional">An empty body reads as a default instance (for POSTs that carry nothing).</param>
    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, bool optional = false)
        where T : class, new()
    {
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "Request too large.", $"The body may be at most {MaxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "Request too large.", $"The body may be at most {MaxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? (new T(), null) : (null, Invalid("body", "A JSON body is required."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json.Options);
            return value is null ? (null, Invalid("body", "The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, field == "body" ? "The body is not valid JSON." : $"'{field}' has the wrong type."));
        }
    }

    private static bool IsJson(string? contentType)
        => contentType is not null
           && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static IActionResult Invalid(string field, string message) => Problems.From(Failure.Invalid(field, message));
}
