using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.WorkerTests.Infrastructure;

namespace Serverless2FA.WorkerTests;

/// <summary>What only the worker under a Functions host shows: function keys, the host's routing, triggers as invocations.</summary>
[Collection(SecondWorkerCollection.Name)]
public sealed class FunctionsHostTests(WorkerServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    [Fact]
    public async Task RelyingAppEndpoints_WithoutTheFunctionKey_Are401_AndDoNothing()
    {
        using var anonymous = fixture.NewAnonymousClient();
        var phone = SetupDriver.NewPhone();

        using var noKey = await anonymous.PostAsJsonAsync("/api/enrollments", new { userId = SetupDriver.NewUserId(), phone });
        using var wrongKey = await Send(anonymous, HttpMethod.Post, "/api/enrollments", "not-the-key", new { userId = SetupDriver.NewUserId(), phone });
        using var status = await anonymous.GetAsync($"/api/users/{SetupDriver.NewUserId()}/two-factor");
        using var check = await anonymous.PostAsJsonAsync("/api/verifications/ver_x/check", new { userId = "u", code = "123456" });

        Assert.All([noKey, wrongKey, status, check], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task FunctionKey_InTheHeaderOrTheCodeQuery_IsAccepted()
    {
        using var anonymous = fixture.NewAnonymousClient();

        using var header = await Send(anonymous, HttpMethod.Get, $"/api/users/{SetupDriver.NewUserId()}/two-factor", WorkerServiceFixture.FunctionKey, body: null);
        using var query = await anonymous.GetAsync($"/api/users/{SetupDriver.NewUserId()}/two-factor?code={WorkerServiceFixture.FunctionKey}");

        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Fact]
    public async Task AnonymousEndpoints_NeedNoKey()
    {
        using var anonymous = fixture.NewAnonymousClient();
        var phone = new BotPhone(anonymous, fixture.Twilio.AuthToken, "http://localhost:7071", ServiceFixture.FromNumber);

        using var health = await anonymous.GetAsync("/api/health");
        using var page = await anonymous.GetAsync("/setup");
        var help = await phone.TextAsync(SetupDriver.NewPhone(), "HELP");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(help.Reply);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("DELETE", "/api/health")]
    [InlineData("GET", "/api/setup/verify")]
    public async Task UnknownRouteOrMethod_IsTheHostsBare404(string method, string path)
    {
        using var client = fixture.NewClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TimerTrigger_InvokedAsTheHostFiresIt_ExpiresWhatIsDue()
    {
        var phone = SetupDriver.NewPhone();
        await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        var token = _driver.LinkTextedTo(phone)["/s/".Length..];
        var links = new TableServiceClient(fixture.StorageConnectionString).GetTableClient(fixture.TablePrefix + Tables.Links);
        Assert.True((await links.GetEntityIfExistsAsync<TableEntity>(Hashes.OfToken(token), LinkEntity.Row)).HasValue);
        fixture.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var run = await fixture.Host.InvokeAsync("ExpirePendingVerifications", CancellationToken.None);

        Assert.True(run.Succeeded, run.Error);
        Assert.False((await links.GetEntityIfExistsAsync<TableEntity>(Hashes.OfToken(token), LinkEntity.Row)).HasValue);
        // The sweep's one structured line reached the host over the worker's log stream.
        Assert.Contains(fixture.Host.Logs, l => l.Contains("ExpirePendingVerifications", StringComparison.Ordinal) && l.Contains("Expiry sweep:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminRun_OfTheTimer_NeedsTheMasterKey()
    {
        using var anonymous = fixture.NewAnonymousClient();

        using var withFunctionKey = await Send(anonymous, HttpMethod.Post, "/admin/functions/ExpirePendingVerifications", WorkerServiceFixture.FunctionKey, new { });
        using var withMasterKey = await Send(anonymous, HttpMethod.Post, "/admin/functions/ExpirePendingVerifications", WorkerServiceFixture.MasterKey, new { });

        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withMasterKey.StatusCode);
    }

    [Fact]
    public void WorkerIndexing_ReportsWhatTheSdkWroteToFunctionsMetadata()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkerServiceFixture.WorkerAppDirectory, "functions.metadata")));
        var written = file.RootElement.EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Entry: f.GetProperty("entryPoint").GetString()!, Bindings: Bindings(f.GetProperty("bindings").EnumerateArray())))
            .OrderBy(f => f.Name)
            .ToList();

        var reported = fixture.Host.Functions
            .Select(f => (f.Name, Entry: f.EntryPoint, Bindings: Bindings(f.RawBindings.Select(b => JsonDocument.Parse(b).RootElement))))
            .OrderBy(f => f.Name)
            .ToList();

        Assert.Equal(written.Select(w => (w.Name, w.Entry)), reported.Select(r => (r.Name, r.Entry)));
        foreach (var (sdk, worker) in written.Zip(reported))
        {
            Assert.Equal(sdk.Name + ": " + sdk.Bindings, worker.Name + ": " + worker.Bindings);
        }
    }

    /// <summary>Each binding's properties, names and values compared without case; the file's empty "properties" bag is not a difference.</summary>
    private static string Bindings(IEnumerable<JsonElement> bindings)
        => string.Join("; ", bindings.Select(b => string.Join(",", b.EnumerateObject()
            .Where(p => !(p.Name == "properties" && p.Value.ValueKind == JsonValueKind.Object && !p.Value.EnumerateObject().Any()))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => $"{p.Name.ToUpperInvariant()}={JsonSerializer.Serialize(p.Value).ToUpperInvariant()}"))));

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string key, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("x-functions-key", key);
        return client.SendAsync(request);
    }
}
