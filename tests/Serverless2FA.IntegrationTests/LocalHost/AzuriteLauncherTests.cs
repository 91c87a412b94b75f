using Azure.Data.Tables;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.LocalHost;

public sealed class AzuriteLauncherTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartAsync_InMemory_ServesTablesUntilDisposed(bool accessLog)
    {
        var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = accessLog });
        var table = new TableClient(azurite.ConnectionString, "launcher" + Guid.NewGuid().ToString("N")[..8]);
        await using (azurite)
        {
            Assert.True(azurite.OwnsProcess);
            await table.CreateIfNotExistsAsync();
            await table.AddEntityAsync(new TableEntity("p", "r") { ["Text"] = "hello" });

            var read = await table.GetEntityAsync<TableEntity>("p", "r");

            Assert.Equal("hello", read.Value.GetString("Text"));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => table.GetEntityAsync<TableEntity>("p", "r"));
    }

    [Fact]
    public async Task StartAsync_ServesQueuesBesideTables_OneProcessEach_NamedInTheConnectionString()
    {
        await using var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = false });
        var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, "launcher" + Guid.NewGuid().ToString("N")[..8]);

        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");
        var received = await queue.ReceiveMessageAsync();

        Assert.Equal("hello", received.Value.MessageText);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{azurite.QueuePort}/devstoreaccount1", azurite.ConnectionString);
        Assert.NotEqual(azurite.Port, azurite.QueuePort);
        Assert.NotNull(azurite.QueueProcessId);
        Assert.NotEqual(azurite.ProcessId, azurite.QueueProcessId);
    }

    [Fact]
    public async Task StartAsync_WhenThePortIsTakenBySomethingElse_UsesAFreePort()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        await using var azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = taken, InMemory = true });

        Assert.NotEqual(taken, azurite.Port);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{azurite.Port}/devstoreaccount1", azurite.ConnectionString);
    }
}
