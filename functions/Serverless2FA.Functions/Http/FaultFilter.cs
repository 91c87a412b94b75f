using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Faults become problem details with no stack trace: 503 with Retry-After when a dependency failed
/// (<see cref="IsDependencyFault"/>), so callers retry; 500 for a bug. A caller that went away is neither.
/// </summary>
public sealed partial class FaultFilter(ILogger<FaultFilter> logger) : IHttpFunctionFilter
{
    /// <summary>How long a caller is asked to wait after a dependency fault: long enough for a blip to pass.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next)
    {
        try
        {
            return await next().ConfigureAwait(false);
        }
        catch (Exception ex) when (CallerLeft(call, ex))
        {
            // Nobody reads this answer, and nothing failed but the caller's connection: not a fault to alert on.
            LogCallerLeft(call.FunctionName);
            return new StatusCodeResult(StatusCodes.Status499ClientClosedRequest);
        }
        catch (BadHttpRequestException ex)
        {
            // The request itself broke off or was malformed while being read (a body shorter than its length).
            return Problems.Create(ex.StatusCode, "The request could not be read.", "The request body was incomplete or malformed.");
        }
        catch (Exception ex) when (IsDependencyFault(ex))
        {
            LogDependencyFault(ex, call.FunctionName);
            return Problems.From(
                new Failure(FailureKind.Unavailable, "A service this depends on is not answering. Try again in a few seconds.") { RetryAfter = RetryAfter },
                call.HttpContext);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Function} failed", call.FunctionName);
            return Problems.Create(StatusCodes.Status500InternalServerError, "Something went wrong.", "The request failed on our side. Try again; if it keeps failing, contact support.");
        }
    }

    /// <summary>
    /// A dependency's fault (<see cref="DependencyFaults"/>), answered 503. What the caller's own connection did (a
    /// truncated body, a reset) is an <see cref="IOException"/> too, but no dependency's fault.
    /// </summary>
    public static bool IsDependencyFault(Exception exception)
        => exception is not (BadHttpRequestException or ConnectionResetException) && DependencyFaults.Is(exception);

    /// <summary>The caller aborted, and what was thrown is what an abort (or a dependency call it cancelled) throws.</summary>
    private static bool CallerLeft(HttpFunctionCall call, Exception ex)
        => call.HttpContext.RequestAborted.IsCancellationRequested
            && (ex is OperationCanceledException or ConnectionResetException or BadHttpRequestException || DependencyFaults.Is(ex));

    [LoggerMessage(LogLevel.Error, "{Function} failed on a dependency; answered 503")]
    private partial void LogDependencyFault(Exception exception, string function);

    [LoggerMessage(LogLevel.Information, "{Function}: the caller went away before the answer")]
    private partial void LogCallerLeft(string function);
}
