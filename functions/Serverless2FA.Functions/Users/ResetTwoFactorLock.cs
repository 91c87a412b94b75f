using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

/// <summary>Lifts a lockout, including the one that lasts until reset, once the relying app has re-checked who the person is.</summary>
public sealed class ResetTwoFactorLock(TwoFactorManagementService management)
{
    [Function(nameof(ResetTwoFactorLock))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/users/{userId}/two-factor/lock")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var reset = await management.ResetLockAsync(userId, cancellationToken).ConfigureAwait(false);
        return reset.ToHttp(req, _ => new NoContentResult());
    }
}
