using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Setup;

/// <summary>The setup page and its script and style, served from the assembly.</summary>
public sealed class SetupPage
{
    [Function(nameof(SetupPage))]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "setup")] HttpRequest req)
        => StaticPages.File("setup.html") ?? NotFound();

    [Function("SetupAsset")]
    public static IActionResult Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{file}")] HttpRequest req,
        string file)
        => StaticPages.File(file) ?? NotFound();

    private static IActionResult NotFound() => Problems.Create(StatusCodes.Status404NotFound, "Not found.", "There is no such file.");
}
