using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Twilio;

/// <summary>Twilio's message status callback: a texted link or code that failed marks what it was for.</summary>
public sealed class ReceiveMessageStatus(DeliveryReports reports)
{
    [Function(nameof(ReceiveMessageStatus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/twilio/status")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var form = await req.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString();
        if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(status) || sid.Length > 64 || !sid.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.From(Failure.Invalid("MessageSid", "MessageSid and MessageStatus are required."), req.HttpContext);
        }

        int? errorCode = int.TryParse(form["ErrorCode"], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        await reports.RecordAsync(new DeliveryReport(sid, status.ToLowerInvariant(), errorCode), cancellationToken).ConfigureAwait(false);
        return new NoContentResult();
    }
}
