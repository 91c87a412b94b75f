using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// A cross-cutting HTTP concern (security headers, problem details, Twilio signatures). Written once
/// and run by both hosts: <see cref="HttpFilterMiddleware"/> in the Functions worker, the local host's
/// endpoint pipeline on Kestrel.
/// </summary>
public interface IHttpFunctionFilter
{
    /// <summary>Runs around one HTTP function call; return <paramref name="next"/>'s result or short-circuit.</summary>
    Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next);
}

/// <param name="FunctionName">The <c>[Function]</c> name being called.</param>
public sealed record HttpFunctionCall(string FunctionName, HttpContext HttpContext);
