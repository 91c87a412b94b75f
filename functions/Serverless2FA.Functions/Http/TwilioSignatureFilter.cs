using System.Collections.Specialized;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Functions.Twilio;
using Twilio.Security;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Twilio's webhooks are anonymous at the host, so each request must prove it came from Twilio. First the body is
/// read within limits (<see cref="FormBody"/>: form-encoded only, 415; at most 64 KiB, 413, counted while reading),
/// so nothing larger or of another type is ever parsed or hashed. Then X-Twilio-Signature is checked with the Twilio
/// SDK's <see cref="RequestValidator"/> against the URL Twilio called — PublicBaseUrl plus path and query, not the
/// address the host saw behind a proxy — and the form fields. Anything else gets 403. Every refusal comes before the
/// function runs, so it changes nothing and sends nothing.
/// </summary>
public sealed class TwilioSignatureFilter(
    ISecretStore secrets,
    IOptionsMonitor<TwilioOptions> twilio,
    IOptionsMonitor<ServiceOptions> service,
    ILogger<TwilioSignatureFilter> logger) : IHttpFunctionFilter
{
    public const string Header = "X-Twilio-Signature";

    private static readonly HashSet<string> Webhooks = new(StringComparer.Ordinal) { nameof(ReceiveText), nameof(ReceiveMessageStatus) };

    public async Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next)
    {
        if (!Webhooks.Contains(call.FunctionName))
        {
            return await next().ConfigureAwait(false);
        }

        var request = call.HttpContext.Request;
        var (form, problem) = await FormBody.ReadAsync(request, call.HttpContext.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            logger.LogWarning("Refused {Function}: the body is not a form of at most {MaxBytes} bytes", call.FunctionName, FormBody.MaxBytes);
            return problem;
        }

        var signature = request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            return Refuse(call, "no signature");
        }

        var token = string.IsNullOrWhiteSpace(twilio.CurrentValue.AuthToken)
            ? await secrets.GetAsync(SecretNames.TwilioAuthToken, call.HttpContext.RequestAborted).ConfigureAwait(false)
            : twilio.CurrentValue.AuthToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            logger.LogError("No Twilio auth token (Twilio:AuthToken or the secret {Secret}): every webhook call is refused", SecretNames.TwilioAuthToken);
            return Refuse(call, "no auth token configured");
        }

        var parameters = new NameValueCollection(StringComparer.Ordinal);
        foreach (var (key, values) in form!)
        {
            foreach (var value in values)
            {
                parameters.Add(key, value);
            }
        }

        var url = service.CurrentValue.PublicBaseUrl.GetLeftPart(UriPartial.Authority) + request.PathBase + request.Path + request.QueryString;
        if (!new RequestValidator(token).Validate(url, parameters, signature))
        {
            return Refuse(call, "signature does not match");
        }

        return await next().ConfigureAwait(false);
    }

    private IActionResult Refuse(HttpFunctionCall call, string reason)
    {
        logger.LogWarning("Refused {Function}: {Reason}", call.FunctionName, reason);
        return Problems.Create(StatusCodes.Status403Forbidden, "Forbidden.", "This webhook accepts only requests signed by Twilio (X-Twilio-Signature).");
    }
}
