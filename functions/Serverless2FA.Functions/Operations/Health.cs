using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Operations;

/// <summary>Is each part reachable? A 503 problem (with Retry-After) names the part that is not.</summary>
public sealed class Health(Tables tables, ISecretStore secrets, ISmsSender sms, ILogger<Health> logger)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        // Both at once, so a request waits for the slower probe only.
        var storageProbe = Probe("storage", () => tables.ProbeAsync(cancellationToken));
        var secretsProbe = Probe("secrets", async () =>
        {
            _ = await secrets.GetAsync(SecretNames.LookupKey, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The secret '{SecretNames.LookupKey}' is not set.");
        });
        var storage = await storageProbe.ConfigureAwait(false);
        var secretStore = await secretsProbe.ConfigureAwait(false);

        var parts = new Dictionary<string, object?>
        {
            ["storage"] = storage ? "ok" : "failing",
            ["secrets"] = secretStore ? secrets.Kind : "failing",
            ["sms"] = sms.Mode,
        };
        if (storage && secretStore)
        {
            return Json.Ok(new { status = "ok", storage = parts["storage"], secrets = parts["secrets"], sms = parts["sms"] });
        }

        // A problem like every other dependency fault, naming the failing part.
        var failing = string.Join(" and ", parts.Where(p => Equals(p.Value, "failing")).Select(p => p.Key));
        return Problems.From(
            new Failure(FailureKind.Unavailable, $"The service cannot reach its {failing}.") { RetryAfter = FaultFilter.RetryAfter, Extensions = parts },
            req.HttpContext);
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
