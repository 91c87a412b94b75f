using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Users;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Users;

/// <summary>New emergency codes for the relying app to show once; the old ones stop working.</summary>
public sealed class RenewEmergencyCodes(TwoFactorManagementService management)
{
    [Function(nameof(RenewEmergencyCodes))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/users/{userId}/two-factor/emergency-codes")] HttpRequest req,
        string userId,
        CancellationToken cancellationToken)
    {
        var codes = await management.RenewEmergencyCodesAsync(userId, cancellationToken).ConfigureAwait(false);
        return codes.ToHttp(req, emergencyCodes => Json.Ok(new { emergencyCodes }));
    }
}
