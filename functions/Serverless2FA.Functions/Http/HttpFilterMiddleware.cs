using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Serverless2FA.Functions.Http;

/// <summary>Runs the <see cref="HttpFilterPipeline"/> inside the Functions worker (ASP.NET Core integration).</summary>
public sealed class HttpFilterMiddleware(HttpFilterPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var result = await pipeline.InvokeAsync(
            new HttpFunctionCall(context.FunctionDefinition.Name, http),
            async () =>
            {
                await next(context).ConfigureAwait(false);
                return context.GetInvocationResult().Value as IActionResult ?? new EmptyResult();
            }).ConfigureAwait(false);

        context.GetInvocationResult().Value = result;
    }
}
