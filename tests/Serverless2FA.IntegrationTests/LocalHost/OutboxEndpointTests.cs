using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Sms;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.LocalHost;

/// <summary>A fixture with an outbox registered, as outbox mode will register one.</summary>
public sealed class OutboxLocalHostFixture : LocalHostFixture
{
    public FakeOutbox Outbox { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
        => builder.ConfigureServices(services => services.AddSingleton<IOutbox>(Outbox));

    public sealed class FakeOutbox : IOutbox
    {
        public string? LastFilter { get; private set; }

        public Task<IReadOnlyList<OutboxMessage>> ListAsync(string? to, CancellationToken ct)
        {
            LastFilter = to;
            IReadOnlyList<OutboxMessage> all =
            [
                new("+15550100", "Your code is 123456", "login-code", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "OB1"),
                new("+15550199", "Set up 2FA: http://localhost:7071/s/abc", "setup-link", new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), "OB2"),
            ];
            return Task.FromResult<IReadOnlyList<OutboxMessage>>(all.Where(m => to is null || m.To == to).ToList());
        }
    }
}

public sealed class OutboxEndpointTests(OutboxLocalHostFixture fixture) : IClassFixture<OutboxLocalHostFixture>
{
    [Fact]
    public async Task Outbox_ListsTextsForTheNumber_EvenWhenThePlusWasNotEscaped()
    {
        var messages = await fixture.Client.GetFromJsonAsync<List<OutboxMessage>>("dev/outbox?to=+15550100");

        Assert.Equal("+15550100", fixture.Outbox.LastFilter);
        var message = Assert.Single(messages!);
        Assert.Equal("login-code", message.Purpose);
    }

    [Fact]
    public async Task Outbox_WithoutAFilter_ListsEveryText()
    {
        using var response = await fixture.Client.GetAsync("dev/outbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"messageSid\":\"OB2\"", await response.Content.ReadAsStringAsync());
    }
}
