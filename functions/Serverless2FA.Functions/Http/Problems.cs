using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Functions.Http;

/// <summary>The one place where expected failures become HTTP: RFC 9457 problem details.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IActionResult From(Failure failure, HttpContext? http = null)
    {
        var (status, title) = failure.Kind switch
        {
            FailureKind.Invalid => (StatusCodes.Status400BadRequest, "The request is not valid."),
            FailureKind.Unauthorized => (StatusCodes.Status401Unauthorized, "No setup session."),
            FailureKind.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed."),
            FailureKind.NotFound => (StatusCodes.Status404NotFound, "Not found."),
            FailureKind.Conflict => (StatusCodes.Status409Conflict, "Not possible now."),
            FailureKind.OptedOut => (StatusCodes.Status409Conflict, "The number opted out of texts."),
            FailureKind.Gone => (StatusCodes.Status410Gone, "Expired or used."),
            FailureKind.WrongCode => (StatusCodes.Status422UnprocessableEntity, "Wrong code."),
            FailureKind.Undeliverable => (StatusCodes.Status422UnprocessableEntity, "The number cannot receive texts."),
            FailureKind.Locked => (StatusCodes.Status423Locked, "Locked."),
            FailureKind.RateLimited => (StatusCodes.Status429TooManyRequests, "Too many requests."),
            FailureKind.SuspectedPumping => (StatusCodes.Status429TooManyRequests, "Suspected SMS pumping."),
            _ => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable."),
        };

        if (failure.RetryAfter is { } retry && http is not null)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var body = new Dictionary<string, object?>
        {
            ["type"] = failure.Code is { } code ? TypePrefix + code : TypeOf(failure.Kind),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = failure.Detail,
        };
        if (failure.Errors is not null)
        {
            body["errors"] = failure.Errors;
        }

        if (failure.AttemptsLeft is not null)
        {
            body["attemptsLeft"] = failure.AttemptsLeft;
        }

        foreach (var (name, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            body.TryAdd(name, value);
        }

        return Create(status, body);
    }

    public static IActionResult Create(int status, string title, string detail, string type = "about:blank")
        => Create(status, new Dictionary<string, object?> { ["type"] = type, ["title"] = title, ["status"] = status, ["detail"] = detail });

    public const string TypePrefix = "urn:serverless2fa:problem:";

    public static string TypeOf(FailureKind kind) => TypePrefix + kind switch
    {
        FailureKind.WrongCode => "wrong-code",
        FailureKind.RateLimited => "rate-limited",
        FailureKind.SuspectedPumping => "suspected-pumping",
        FailureKind.OptedOut => "opted-out",
        FailureKind.NotFound => "not-found",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static JsonResult Create(int status, Dictionary<string, object?> body)
        => new(body, Json.Options) { StatusCode = status, ContentType = ContentType };
}
