extern alias local;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.IntegrationTests.Infrastructure;
using ListenAddresses = local::Serverless2FA.Local.Hosting.ListenAddresses;

namespace Serverless2FA.IntegrationTests.LocalHost;

/// <summary>The local host listens on loopback unless told otherwise on its command line; dev/* and admin/* serve this machine only.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class LoopbackOnlyTests(LocalHostFixture fixture)
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Theory]
    [InlineData("GET", "/dev/phone")]
    [InlineData("GET", "/dev/outbox")]
    [InlineData("GET", "/DEV/Phone")]
    [InlineData("POST", "/dev/phone/texts")]
    [InlineData("POST", "/admin/functions/ExpirePendingVerifications")]
    [InlineData("POST", "/Admin/Functions/NoSuchFunction")]
    public async Task DevAndAdmin_FromAnotherMachine_Are403(string method, string path)
    {
        var context = await SendAsync(method, path, Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "198.51.100.4")]
    [InlineData("Forwarded", "for=198.51.100.4;proto=https")]
    [InlineData("X-Real-IP", "198.51.100.4")]
    public async Task DevAndAdmin_RelayedByATunnelOnThisMachine_Are403(string header, string value)
    {
        var context = await SendAsync("GET", "/dev/phone", IPAddress.Loopback, (header, value));

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task DevAndAdmin_FromThisMachine_Answer(string address)
    {
        var phone = await SendAsync("GET", "/dev/phone", IPAddress.Parse(address));
        var admin = await SendAsync("POST", "/admin/functions/NoSuchFunction", IPAddress.Parse(address));

        Assert.Equal(StatusCodes.Status200OK, phone.Response.StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, admin.Response.StatusCode);
    }

    [Fact]
    public async Task TheApi_FromAnotherMachine_IsServed()
    {
        var context = await SendAsync("GET", "/api/health", Remote);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public void NoAddressConfigured_ListensOnLocalhost7071()
        => Assert.Equal("http://localhost:7071", ListenAddresses.Choose(Config(), Config()));

    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://*:5000")]
    [InlineData("http://+:5000")]
    [InlineData("http://[::]:5000")]
    [InlineData("http://192.0.2.10:5000")]
    [InlineData("http://127.0.0.1:5000;http://devbox.example:5000")]
    public void NonLoopbackUrls_FromSettings_RefuseToStart_SayingHowToListenThere(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ListenAddresses.Choose(Config(), Config(("urls", urls))));

        Assert.Contains("--urls", error.Message);
    }

    [Fact]
    public void NonLoopbackKestrelEndpoint_FromSettings_RefusesToStart()
        => Assert.Throws<InvalidOperationException>(() => ListenAddresses.Choose(Config(), Config(("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:8080"))));

    [Fact]
    public void NonLoopbackUrls_OnTheCommandLine_AreHonoured()
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(["--urls", "http://0.0.0.0:5000"]).Build();

        Assert.Null(ListenAddresses.Choose(commandLine, commandLine));
    }

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000;http://[::1]:5001")]
    [InlineData("https://LOCALHOST:5443")]
    [InlineData("http://unix:/tmp/s2fa.sock")]
    public void LoopbackUrls_FromSettings_AreKept(string urls)
        => Assert.Null(ListenAddresses.Choose(Config(), Config(("urls", urls))));

    [Fact]
    public void BarePorts_AreServedOnLoopback()
        => Assert.Equal("http://localhost:8080;https://localhost:8443", ListenAddresses.Choose(Config(), Config(("http_ports", "8080"), ("https_ports", "8443"))));

    /// <summary>
    /// On a real socket: started with an explicit non-loopback --urls, the host listens on every address and
    /// still answers dev/* to a loopback caller. (A caller from another address is shown refused by the in-process
    /// tests above, which set the remote address: tests send traffic to loopback only.)
    /// </summary>
    [Fact]
    public async Task ExplicitNonLoopbackUrls_AreHonoured_AndDevStillAnswersLoopback()
    {
        var port = FreePort();
        await using var host = await KestrelLocalHost.StartAsync(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = $"http://0.0.0.0:{port}",
        });
        Assert.Contains($"http://0.0.0.0:{port}", host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);

        using var fromLoopback = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        Assert.Equal(HttpStatusCode.OK, (await fromLoopback.GetAsync("api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fromLoopback.GetAsync("dev/phone")).StatusCode);
    }

    [Fact]
    public async Task WithoutExplicitUrls_TheKestrelHostListensOnLoopbackOnly()
    {
        await using var host = await KestrelLocalHost.StartAsync();

        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.True(ListenAddresses.IsLoopback(a), a));
    }

    private async Task<HttpContext> SendAsync(string method, string path, IPAddress remote, (string Name, string Value)? header = null)
        => await fixture.Factory.Server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = remote;
            if (header is { } h)
            {
                context.Request.Headers[h.Name] = h.Value;
            }
        });

    private static IConfiguration Config(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
