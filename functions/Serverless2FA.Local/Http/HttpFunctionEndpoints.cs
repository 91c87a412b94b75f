using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Serverless2FA.Functions.Http;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.Local.Http;

/// <summary>
/// Maps each HTTP-triggered function to its route and methods on Kestrel.
/// Like Azure Functions Core Tools, the local host does not enforce function keys: the declared
/// <c>AuthorizationLevel</c> is recorded but every call is let through.
/// </summary>
internal static class HttpFunctionEndpoints
{
    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        foreach (var function in catalog.Http)
        {
            var trigger = (HttpTriggerInfo)function.Trigger;
            RequestDelegate handler = context => HandleAsync(function, context);
            var builder = trigger.Methods.Count == 0
                ? endpoints.Map(trigger.RouteTemplate, handler)
                : endpoints.MapMethods(trigger.RouteTemplate, trigger.Methods.Select(m => m.ToUpperInvariant()), handler);
            builder.WithName(function.Name).WithDisplayName($"{function.Name} ({function.EntryPoint})");
        }
    }

    private static async Task HandleAsync(FunctionDescriptor function, HttpContext context)
    {
        // The same filters the worker runs through HttpFilterMiddleware, so both hosts behave alike.
        var pipeline = context.RequestServices.GetRequiredService<HttpFilterPipeline>();
        IActionResult result;
        try
        {
            result = await pipeline.InvokeAsync(
                new HttpFunctionCall(function.Name, context),
                () => FunctionInvoker.InvokeHttpAsync(function, context)).ConfigureAwait(false);
        }
        catch (RouteValueException e)
        {
            await HostProblems.BadRequest($"The route value '{e.Name}' is not valid.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            // The Functions host answers an unhandled exception with a bare 500; never a stack trace.
            context.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(HttpFunctionEndpoints))
                .LogError(e, "Function {FunctionName} failed", function.Name);
            await HostProblems.ServerError().ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }
}
