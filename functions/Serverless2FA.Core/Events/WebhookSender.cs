using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using StandardWebhooks;

namespace Serverless2FA.Core.Events;

/// <summary>
/// One try to deliver an event: POSTs <c>{type, timestamp, data}</c> to <see cref="EventsOptions.WebhookUrl"/>, signed
/// per Standard Webhooks with <c>events-signing-secret</c> (headers <c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>), and waits at most <see cref="Timeout"/>. Any 2xx is delivered; anything else, no answer
/// included, is a failed try. Redirects are not followed: the relying app states its endpoint.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, ISecretStore secrets, IOptionsMonitor<EventsOptions> options, TimeProvider time)
{
    /// <summary>How long the receiver has to answer (API.md).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The named <see cref="HttpClient"/> the events are posted with (redirects not followed).</summary>
    public const string HttpClientName = "webhooks";

    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public async Task<DeliveryOutcome> SendAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (options.CurrentValue.WebhookUrl is not { } url)
        {
            return DeliveryOutcome.Failed("Events:WebhookUrl is not set");
        }

        var signer = await SignerAsync(cancellationToken).ConfigureAwait(false);
        if (signer is null)
        {
            return DeliveryOutcome.Failed($"the secret '{SecretNames.EventsSigningSecret}' is not set or not a whsec_ secret");
        }

        var body = message.Body();
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(IdHeader, message.Id);
        request.Headers.Add(TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, signer.Sign(message.Id, now, body));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(true, status, $"answered {status}")
                : DeliveryOutcome.Failed($"answered {status}", status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed($"no answer: {e.HttpRequestError}");
        }
    }

    private async Task<StandardWebhook?> SignerAsync(CancellationToken cancellationToken)
    {
        var secret = await secrets.GetAsync(SecretNames.EventsSigningSecret, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(secret) || !secret.StartsWith(EventSigningSecret.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return new StandardWebhook(secret);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
