using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Serverless2FA.ColdStartSample;

public static class Hello
{
    [Function(nameof(Hello))]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "hello")] HttpRequest req)
        => new OkObjectResult(new { hello = req.Query["name"].FirstOrDefault() ?? "world" });
}
