using System.Net;
using System.Net.Http.Headers;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Bot;

/// <summary>
/// Twilio's webhooks take a form-encoded body of at most 64 KiB, checked while reading and before the signature:
/// anything else is refused with no effect, even when it is correctly signed.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class WebhookBodyTests(ServiceFixture fixture)
{
    private const int KiB = 1024;

    private readonly BotDriver _bot = new(fixture);
    private readonly HttpClient _client = fixture.NewClient();

    [Theory]
    [InlineData(BotPhone.SmsPath)]
    [InlineData(BotPhone.StatusPath)]
    public async Task SignedBody_Of100KiB_Is413_AndHasNoEffect(string path)
    {
        var pending = await PendingAsync();
        var form = Form(path, pending);
        form["Padding"] = new string('x', 100 * KiB);

        using var response = await SendSignedAsync(path, form, new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingChangedAsync(pending);
    }

    [Theory]
    [InlineData(BotPhone.SmsPath)]
    [InlineData(BotPhone.StatusPath)]
    public async Task SignedMultipartBody_Is415_AndHasNoEffect(string path)
    {
        var pending = await PendingAsync();
        var form = Form(path, pending);
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in form)
        {
            multipart.Add(new StringContent(value), name);
        }

        using var response = await SendSignedAsync(path, form, multipart);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingChangedAsync(pending);
    }

    [Theory]
    [InlineData("application/json", "{\"Body\":\"HELP\"}")]
    [InlineData("text/plain", "From=%2B12015550100&Body=HELP")]
    public async Task SignedBody_OfAnotherType_Is415(string contentType, string body)
    {
        var form = new Dictionary<string, string> { ["From"] = SetupDriver.NewPhone(), ["Body"] = "HELP", ["MessageSid"] = TwilioSignature.NewMessageSid() };
        using var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await SendSignedAsync(BotPhone.SmsPath, form, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(fixture.Twilio.MessagesTo(form["From"]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnsignedMegabyte_IsRefused_WithoutReadingItWhole(bool declaresItsLength)
    {
        var probe = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, BotPhone.SmsPath)
        {
            Content = new EndlessFormContent(1024 * KiB, declaresItsLength),
        };
        request.Headers.Add(BodyReadProbe.Header, probe);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        // With a Content-Length over the limit nothing is read; without one, reading stops one byte past 64 KiB.
        Assert.True(fixture.BodyReads.BytesRead(probe) <= (declaresItsLength ? 0 : 64 * KiB + 1), $"The host read {fixture.BodyReads.BytesRead(probe)} bytes.");
    }

    [Fact]
    public async Task SignedBody_JustUnderTheLimit_IsAccepted()
    {
        var phone = SetupDriver.NewPhone();
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = TwilioSignature.NewMessageSid(),
            ["From"] = phone,
            ["To"] = ServiceFixture.FromNumber,
            ["Body"] = "HELP",
            ["Padding"] = new string('x', 60 * KiB),
        };

        using var response = await SendSignedAsync(BotPhone.SmsPath, form, new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("JOIN <code>", (await BotAnswer.ReadAsync(response)).Reply);
    }

    /// <summary>
    /// An enrollment awaiting a text and its join code (what an inbound JOIN would use up), and another one whose
    /// setup link was texted to <see cref="Pending.Phone"/> (what a status callback would mark).
    /// </summary>
    private async Task<Pending> PendingAsync()
    {
        var (joinUser, code, _) = await _bot.StartByTextAsync();
        var phone = SetupDriver.NewPhone();
        var linkUser = SetupDriver.NewUserId();
        using var started = await _bot.Setup.StartAsync(new { userId = linkUser, phone });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return new Pending(joinUser, code, linkUser, phone, fixture.Twilio.MessagesTo(phone).Single().Sid);
    }

    private static Dictionary<string, string> Form(string path, Pending pending) => path == BotPhone.SmsPath
        ? new() { ["MessageSid"] = TwilioSignature.NewMessageSid(), ["From"] = pending.Phone, ["To"] = ServiceFixture.FromNumber, ["Body"] = "JOIN " + pending.Code }
        : new() { ["MessageSid"] = pending.LinkSid, ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30003", ["To"] = pending.Phone };

    private async Task<HttpResponseMessage> SendSignedAsync(string path, Dictionary<string, string> form, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(fixture.Twilio.AuthToken, BotDriver.PublicBaseUrl + path, form));
        return await _client.SendAsync(request);
    }

    /// <summary>No text went out, the join code is unused, and no delivery failure was recorded.</summary>
    private async Task AssertNothingChangedAsync(Pending pending)
    {
        Assert.Single(fixture.Twilio.MessagesTo(pending.Phone));
        var joining = await _bot.StatusAsync(pending.JoinUser);
        Assert.Equal("awaiting-text", joining.GetProperty("pendingEnrollment").GetProperty("status").GetString());
        var linked = await _bot.StatusAsync(pending.LinkUser);
        Assert.False(linked.GetProperty("pendingEnrollment").TryGetProperty("deliveryStatus", out _));
        // What the refused request carried still works when Twilio sends it properly.
        Assert.Contains("phone linked", (await _bot.Phone.TextAsync(SetupDriver.NewPhone(), "JOIN " + pending.Code)).Reply);
    }

    private sealed record Pending(string JoinUser, string Code, string LinkUser, string Phone, string LinkSid);

    /// <summary>A form body of <paramref name="length"/> bytes, produced as it is sent, with or without a Content-Length.</summary>
    private sealed class EndlessFormContent : HttpContent
    {
        private readonly long _length;
        private readonly bool _declared;

        public EndlessFormContent(long length, bool declared)
        {
            _length = length;
            _declared = declared;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[4 * KiB];
            Array.Fill(chunk, (byte)'a');
            chunk[0] = (byte)'&';
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return _declared;
        }
    }
}
