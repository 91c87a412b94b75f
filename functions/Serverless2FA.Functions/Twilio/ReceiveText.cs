using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Bot;
using Twilio.TwiML;

namespace Serverless2FA.Functions.Twilio;

/// <summary>
/// Twilio's inbound-text webhook: the bot's answer goes back as TwiML, which Twilio sends as the reply at no REST
/// call. Signed requests only (<see cref="Http.TwilioSignatureFilter"/>).
/// </summary>
public sealed class ReceiveText(SmsBot bot)
{
    public const string TwiMLContentType = "text/xml";

    [Function(nameof(ReceiveText))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/twilio/sms")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var form = await req.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var reply = await bot.HandleAsync(new InboundText(form["From"], form["Body"], form["MessageSid"]), cancellationToken).ConfigureAwait(false);
        var twiml = new MessagingResponse();
        if (reply is not null)
        {
            twiml.Message(reply.Text);
        }

        return new ContentResult { Content = twiml.ToString(), ContentType = TwiMLContentType, StatusCode = StatusCodes.Status200OK };
    }
}
