using System.Text.Json;
using Microsoft.ApplicationInsights.DataContracts;
using Serverless2FA.Functions.Telemetry;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Hosting;

/// <summary>Link tokens never reach Application Insights: the worker's telemetry is rewritten, the host's carries no URL.</summary>
public sealed class TelemetryRedactionTests
{
    private const string Token = "Q2hlY2tpbmctdGhlLXRva2Vu";

    [Theory]
    [InlineData("GET /s/" + Token, "GET /s/{token}")]
    [InlineData("POST /c/" + Token, "POST /c/{token}")]
    [InlineData("https://2fa.example.com/s/" + Token + "?utm=x", "https://2fa.example.com/s/{token}?utm=x")]
    [InlineData("/s/" + Token, "/s/{token}")]
    [InlineData("GET /api/users/s/two-factor", "GET /api/users/s/two-factor")]
    [InlineData("GET /assets/setup.css", "GET /assets/setup.css")]
    [InlineData("GET /s/{token}", "GET /s/{token}")]
    public void Redact_ReplacesOnlyLinkTokens(string text, string expected) => Assert.Equal(expected, TokenPaths.Redact(text));

    [Fact]
    public void Requests_AreNamedAndAddressedByTheirRouteTemplate()
    {
        var request = new RequestTelemetry { Name = "POST /s/" + Token, Url = new Uri("https://2fa.example.com/s/" + Token) };
        request.Context.Operation.Name = "POST /s/" + Token;
        request.Properties["path"] = "/c/" + Token;

        new TokenRedactingTelemetryInitializer().Initialize(request);

        Assert.Equal("POST /s/{token}", request.Name);
        Assert.Equal("https://2fa.example.com/s/{token}", request.Url.OriginalString);
        Assert.Equal("POST /s/{token}", request.Context.Operation.Name);
        Assert.Equal("/c/{token}", request.Properties["path"]);
    }

    [Fact]
    public void DependenciesAndTraces_LoseTheirTokens_AndOtherTelemetryIsUntouched()
    {
        var dependency = new DependencyTelemetry { Name = "GET /s/" + Token, Data = "http://localhost:7071/s/" + Token };
        var trace = new TraceTelemetry("Opened http://localhost:7071/c/" + Token);
        var health = new RequestTelemetry { Name = "GET /api/health", Url = new Uri("https://2fa.example.com/api/health") };

        var initializer = new TokenRedactingTelemetryInitializer();
        initializer.Initialize(dependency);
        initializer.Initialize(trace);
        initializer.Initialize(health);

        Assert.DoesNotContain(Token, dependency.Name + dependency.Data + trace.Message);
        Assert.Equal("GET /api/health", health.Name);
        Assert.Equal("https://2fa.example.com/api/health", health.Url.ToString());
    }

    [Fact]
    public void HostJson_TurnsOffTheHostsExtendedHttpCollection_SoItsRequestTelemetryHasNoUrl()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "host.json")));

        var options = host.RootElement.GetProperty("logging").GetProperty("applicationInsights").GetProperty("httpAutoCollectionOptions");

        Assert.False(options.GetProperty("enableHttpTriggerExtendedInfoCollection").GetBoolean());
    }
}
