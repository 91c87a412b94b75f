using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Operations;

/// <summary>Is each part reachable? 503 names the part that is not.</summary>
public sealed class Health(Tables tables, ISecretStore secrets, ISmsSender sms, ILogger<Health> logger)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var storage = await Probe("storage", () => tables.ProbeAsync(cancellationToken)).ConfigureAwait(false);
        var secretStore = await Probe("secrets", async () =>
        {
            _ = await secrets.GetAsync(SecretNames.LookupKey, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The secret '{SecretNames.LookupKey}' is not set.");
        }).ConfigureAwait(false);

        var healthy = storage && secretStore;
        var body = new
        {
            status = healthy ? "ok" : "unhealthy",
            storage = storage ? "ok" : "failing",
            secrets = secretStore ? secrets.Kind : "failing",
            sms = sms.Mode,
        };
        return Json.Ok(body, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private async Task<bool> Probe(string part, Func<Task> probe)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await probe().WaitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Health probe of {Part} failed", part);
            return false;
        }
    }
}
