namespace Serverless2FA.Local.Http;

/// <summary>RFC 9457 problem responses for what the local host itself answers (not the functions).</summary>
internal static class HostProblems
{
    public static IResult NotFound(string detail)
        => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    public static IResult Forbidden(string detail)
        => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult BadRequest(string detail)
        => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: detail);

    public static IResult ServerError()
        => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal Server Error",
            detail: "The function failed; the local host's log has the details.");
}
