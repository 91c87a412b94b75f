using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

/// <summary>A user's latest two-factor events, newest first; never a code, token or phone number.</summary>
public sealed class GetTwoFactorAudit(TwoFactorManagementService management)
{
    [Function(nameof(GetTwoFactorAudit))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/users/{userId}/two-factor/audit")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var audit = await management.AuditAsync(userId, cancellationToken).ConfigureAwait(false);
        return audit.ToHttp(req, events => Json.Ok(new { events }));
    }
}
