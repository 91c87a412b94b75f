using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

/// <summary>Forgets every remembered computer of a user.</summary>
public sealed class ForgetDevices(TwoFactorManagementService management)
{
    [Function(nameof(ForgetDevices))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/users/{userId}/devices")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var forgotten = await management.ForgetDevicesAsync(userId, cancellationToken).ConfigureAwait(false);
        return forgotten.ToHttp(req, _ => new NoContentResult());
    }
}
