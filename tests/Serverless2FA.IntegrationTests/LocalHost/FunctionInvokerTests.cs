using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.IntegrationTests.LocalHost;

public sealed class FunctionInvokerTests
{
    [Fact]
    public async Task HttpFunction_GetsRouteValuesByNameAndItsServicesFromTheRequest()
    {
        var function = Describe();
        var itemId = Guid.NewGuid();
        var context = Context(new() { ["userId"] = "u-1", ["itemId"] = itemId.ToString(), ["count"] = "3" });

        var result = await FunctionInvoker.InvokeHttpAsync(function, context);

        var ok = Assert.IsType<OkObjectResult>(result);
        Assert.Equal($"u-1 {itemId} 3 {context.Request.Path} greeting", ok.Value);
    }

    [Fact]
    public async Task HttpFunction_WithARouteValueItsTypeCannotHold_IsRejectedBeforeItRuns()
    {
        var function = Describe();
        var context = Context(new() { ["userId"] = "u-1", ["itemId"] = "not-a-guid", ["count"] = "3" });

        var error = await Assert.ThrowsAsync<RouteValueException>(() => FunctionInvoker.InvokeHttpAsync(function, context));

        Assert.Equal("itemId", error.Name);
    }

    [Fact]
    public void Route_IsPrefixedWithHostJsonRoutePrefix()
    {
        var method = typeof(RouteProbe).GetMethod(nameof(RouteProbe.Run))!;

        var function = FunctionDiscovery.Describe(method, new ConfigurationBuilder().Build(), "api");

        var trigger = Assert.IsType<HttpTriggerInfo>(function.Trigger);
        Assert.Equal("api/users/{userId}/items/{itemId}/{count}", trigger.RouteTemplate);
        Assert.Equal(["get", "post"], trigger.Methods);
    }

    private static FunctionDescriptor Describe()
        => FunctionDiscovery.Describe(typeof(RouteProbe).GetMethod(nameof(RouteProbe.Run))!, new ConfigurationBuilder().Build(), "");

    private static DefaultHttpContext Context(RouteValueDictionary values)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(new Greeting("greeting")).BuildServiceProvider(),
        };
        context.Request.Path = "/probe";
        context.Request.RouteValues = values;
        return context;
    }

    public sealed record Greeting(string Text);

    public sealed class RouteProbe(Greeting greeting)
    {
        [Function(nameof(RouteProbe))]
        public async Task<IActionResult> Run(
            [HttpTrigger(AuthorizationLevel.Function, "get", "POST", Route = "users/{userId}/items/{itemId}/{count}")] HttpRequest req,
            string userId,
            Guid itemId,
            int count,
            CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return new OkObjectResult($"{userId} {itemId} {count} {req.Path} {greeting.Text}");
        }
    }
}
