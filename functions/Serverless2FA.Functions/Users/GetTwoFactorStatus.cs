using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

public sealed class GetTwoFactorStatus(UserStatusService users)
{
    [Function(nameof(GetTwoFactorStatus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/users/{userId}/two-factor")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var status = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        return status.ToHttp(req);
    }
}
