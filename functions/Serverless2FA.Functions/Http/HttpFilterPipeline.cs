using Microsoft.AspNetCore.Mvc;

namespace Serverless2FA.Functions.Http;

/// <summary>Runs the registered filters, first registered outermost, around a function call.</summary>
public sealed class HttpFilterPipeline(IEnumerable<IHttpFunctionFilter> filters)
{
    private readonly IHttpFunctionFilter[] _filters = filters.ToArray();

    public Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> function)
    {
        var next = function;
        for (var i = _filters.Length - 1; i >= 0; i--)
        {
            var filter = _filters[i];
            var inner = next;
            next = () => filter.InvokeAsync(call, inner);
        }

        return next();
    }
}
