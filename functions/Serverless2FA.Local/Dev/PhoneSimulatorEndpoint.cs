using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.TextEnrollment;
using Serverless2FA.Local.Http;

namespace Serverless2FA.Local.Dev;

/// <summary>
/// <c>GET dev/phone</c>: a phone simulator for trying the SMS bot with no Twilio account. Texts typed there are
/// signed here exactly as Twilio signs them and posted to the real <c>api/twilio/sms</c> route over HTTP, so
/// they pass the same signature check; the page shows the TwiML replies and, in outbox mode, the texts "sent".
/// Local host only.
/// </summary>
internal static class PhoneSimulatorEndpoint
{
    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["phone.html"] = "text/html; charset=utf-8",
        ["phone.js"] = "text/javascript; charset=utf-8",
        ["phone.css"] = "text/css; charset=utf-8",
    };

    public static void MapPhoneSimulator(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("dev/phone", () => File("phone.html")).WithName("LocalHost.Phone").ExcludeFromDescription();
        endpoints.MapGet("dev/phone/{file}", (string file) => Files.ContainsKey(file) ? File(file) : HostProblems.NotFound("No such file."))
            .WithName("LocalHost.PhoneFiles").ExcludeFromDescription();
        endpoints.MapPost("dev/phone/texts", TextAsync).WithName("LocalHost.PhoneText").ExcludeFromDescription();
        endpoints.MapGet("dev/phone/outbox", async (HttpRequest request, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var number = OutboxEndpoint.PhoneFromQuery(request.Query["number"]);
            var outbox = services.GetService<IOutbox>();
            if (number is null || outbox is null || services.GetRequiredService<ISmsSender>().Mode != OutboxSmsSender.ModeName)
            {
                return Results.Json(Array.Empty<OutboxMessage>());
            }

            return Results.Json(await outbox.ListAsync(number, cancellationToken).ConfigureAwait(false));
        }).WithName("LocalHost.PhoneOutbox").ExcludeFromDescription();
    }

    public sealed record Text(string? From, string? Body);

    private static async Task<IResult> TextAsync(
        Text text,
        IServer server,
        IHttpClientFactory clients,
        ISecretStore secrets,
        IOptions<TwilioOptions> twilio,
        IOptions<ServiceOptions> service,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text.From) || text.Body is null || text.Body.Length > 1600)
        {
            return HostProblems.BadRequest("Give the number to text from (from) and the text (body).");
        }

        var token = string.IsNullOrWhiteSpace(twilio.Value.AuthToken)
            ? await secrets.GetAsync(SecretNames.TwilioAuthToken, cancellationToken).ConfigureAwait(false)
            : twilio.Value.AuthToken;
        var origin = OwnOrigin(server);
        if (string.IsNullOrWhiteSpace(token) || origin is null)
        {
            return HostProblems.BadRequest($"The simulator needs an auth token (Twilio:AuthToken or '{SecretNames.TwilioAuthToken}' in the local secret file) and a Kestrel address.");
        }

        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            ["AccountSid"] = twilio.Value.AccountSid ?? "AC" + new string('0', 32),
            ["From"] = text.From.Trim(),
            ["To"] = string.IsNullOrWhiteSpace(twilio.Value.FromNumber) ? JoinCodes.OutboxNumber : twilio.Value.FromNumber,
            ["Body"] = text.Body,
            ["NumMedia"] = "0",
            ["SmsStatus"] = "received",
            ["ApiVersion"] = "2010-04-01",
        };
        const string path = "/api/twilio/sms";
        // Signed for the URL Twilio would call (PublicBaseUrl), sent to where this host actually listens.
        var signature = TwilioRequestSigner.Sign(token, service.Value.PublicBaseUrl.GetLeftPart(UriPartial.Authority) + path, form);
        using var request = new HttpRequestMessage(HttpMethod.Post, origin + path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        using var client = clients.CreateClient(nameof(PhoneSimulatorEndpoint));
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? reply = null;
        if (response.IsSuccessStatusCode)
        {
            reply = XDocument.Parse(body).Root?.Element("Message")?.Value;
        }

        return Results.Json(new { status = (int)response.StatusCode, reply, messageSid = form["MessageSid"] });
    }

    private static string? OwnOrigin(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null)
        {
            return null;
        }

        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        return uri.GetLeftPart(UriPartial.Authority);
    }

    private static IResult File(string name)
    {
        using var stream = typeof(PhoneSimulatorEndpoint).Assembly.GetManifestResourceStream("phone/" + name);
        if (stream is null)
        {
            return HostProblems.NotFound("No such file.");
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new PageResult(copy.ToArray(), Files[name]);
    }

    private sealed class PageResult(byte[] bytes, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.ContentType = contentType;
            return httpContext.Response.Body.WriteAsync(bytes, 0, bytes.Length, httpContext.RequestAborted);
        }
    }
}
