using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Reads a webhook's form body within limits, before anything else looks at it: only
/// <c>application/x-www-form-urlencoded</c> (415 otherwise), at most <see cref="MaxBytes"/> (413), counted while
/// reading, so an over-long body is refused after at most that many bytes whatever its Content-Length says.
/// </summary>
public static class FormBody
{
    public const int MaxBytes = 64 * 1024;

    public const string ContentType = "application/x-www-form-urlencoded";

    /// <summary>Reads and parses the body; on success it is also set as the request's form, so the function reads the same fields.</summary>
    public static async Task<(IFormCollection? Form, IActionResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsForm(request.ContentType))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send the body as {ContentType}."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        // One byte of room past the limit: a body that fills it is too long, and nothing after it is read.
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            return (null, TooLarge());
        }

        Dictionary<string, StringValues> fields;
        try
        {
            using var reader = new FormReader(new MemoryStream(buffer, 0, length, writable: false));
            fields = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return (null, Problems.From(Failure.Invalid("body", "The form has too many or too long fields.")));
        }

        var form = new FormCollection(fields);
        request.Body = new MemoryStream(buffer, 0, length, writable: false);
        request.Form = form;
        return (form, null);
    }

    private static bool IsForm(string? contentType)
        => contentType is not null
           && contentType.Split(';')[0].Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    private static IActionResult TooLarge()
        => Problems.Create(StatusCodes.Status413PayloadTooLarge, "Request too large.", $"The body may be at most {MaxBytes} bytes.");
}
