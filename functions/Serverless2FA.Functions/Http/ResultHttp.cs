using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Functions.Http;

/// <summary>A Core result as the HTTP answer, in one call: the value as JSON (or as <c>ok</c> says), else its problem.</summary>
public static class ResultHttp
{
    public static IActionResult ToHttp<T>(this Result<T> result, HttpRequest request, int status = StatusCodes.Status200OK)
        where T : notnull
        => result.ToHttp(request, value => Json.Ok(value, status));

    public static IActionResult ToHttp<T>(this Result<T> result, HttpRequest request, Func<T, IActionResult> ok)
        => result.Succeeded ? ok(result.Value) : Problems.From(result.Failure, request.HttpContext);
}
