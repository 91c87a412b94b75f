using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Faults (storage down, a bug) become problem details with no stack trace: 503 with Retry-After
/// when a dependency failed, so callers retry; 500 otherwise.
/// </summary>
public sealed class FaultFilter(ILogger<FaultFilter> logger) : IHttpFunctionFilter
{
    public async Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next)
    {
        try
        {
            return await next().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new StatusCodeResult(499);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or TimeoutException)
        {
            logger.LogError(ex, "{Function} failed on a dependency", call.FunctionName);
            call.HttpContext.Response.Headers.RetryAfter = "5";
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable.", "A service this depends on is not answering. Try again in a few seconds.");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Function} failed", call.FunctionName);
            return Problems.Create(StatusCodes.Status500InternalServerError, "Something went wrong.", "The request failed on our side. Try again; if it keeps failing, contact support.");
        }
    }
}
