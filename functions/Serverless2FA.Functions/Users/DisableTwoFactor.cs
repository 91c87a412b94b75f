using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

/// <summary>Turns two-factor off and destroys its secrets; 204 for unknown users too, since the end state is the same.</summary>
public sealed class DisableTwoFactor(TwoFactorManagementService management)
{
    [Function(nameof(DisableTwoFactor))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/users/{userId}/two-factor")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var done = await management.DisableAsync(userId, cancellationToken).ConfigureAwait(false);
        return done.ToHttp(req, _ => new NoContentResult());
    }
}
