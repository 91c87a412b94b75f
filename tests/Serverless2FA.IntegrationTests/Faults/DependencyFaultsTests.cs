using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Serverless2FA.Core.Options;
using Serverless2FA.Functions.Http;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Faults;

public sealed class DependencyFaultsTests
{
    public static TheoryData<string, Exception> Faults() => new()
    {
        { "no answer", new RequestFailedException("Connection refused") },
        { "server busy", new RequestFailedException(503, "Server busy") },
        { "throttled", new RequestFailedException(429, "Too many requests") },
        { "access not yet granted", new RequestFailedException(403, "Forbidden") },
        { "table being deleted", new RequestFailedException(409, "The table is being deleted.", "TableBeingDeleted", null) },
        { "retries ran out", new AggregateException(new RequestFailedException("refused"), new TaskCanceledException("network timeout"), new IOException("reset")) },
        { "nested retries", new AggregateException(new AggregateException(new RequestFailedException(500, "boom"))) },
        { "deadline", new TaskCanceledException("timeout", new TimeoutException()) },
        { "timeout", new TimeoutException() },
        { "http", new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)) },
        { "socket", new SocketException((int)SocketError.ConnectionReset) },
        { "network stream", new IOException("Unable to read data from the transport connection") },
    };

    public static TheoryData<string, Exception> Bugs() => new()
    {
        { "bad request", new RequestFailedException(400, "The property value exceeds the maximum allowed size") },
        { "unhandled conflict", new RequestFailedException(412, "Precondition failed") },
        { "missing row", new RequestFailedException(404, "Not found", "ResourceNotFound", null) },
        { "a bug among faults", new AggregateException(new RequestFailedException(503, "busy"), new InvalidOperationException("bug")) },
        { "empty aggregate", new AggregateException() },
        { "a bug", new InvalidOperationException("Sequence contains no elements") },
        { "the caller's body", new BadHttpRequestException("Unexpected end of request content.") },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void DependencyFaults_AreRecognised(string what, Exception exception)
        => Assert.True(FaultFilter.IsDependencyFault(exception), what);

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Bugs_AreNotTakenForDependencyFaults(string what, Exception exception)
        => Assert.False(FaultFilter.IsDependencyFault(exception), what);

    /// <summary>
    /// A real listener that accepts connections and never answers, as a stalled storage node: one Table call with the
    /// budgeted retries gives up within the budget, after every budgeted try, with what FaultFilter turns into a 503.
    /// </summary>
    [Fact]
    public async Task ATableCall_ToStorageThatNeverAnswers_GivesUpWithinItsBudget_AfterEveryBudgetedTry()
    {
        var budget = TimeSpan.FromSeconds(1);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                accepted.Add(await listener.AcceptSocketAsync(stop.Token));
            }
        });
        var table = new TableClient(
            new Uri($"http://127.0.0.1:{port}/{AzuriteInstance.AccountName}"),
            "stalled",
            new TableSharedKeyCredential(AzuriteInstance.AccountName, AzuriteInstance.AccountKey),
            RetryBudget.Within(new TableClientOptions(), budget));

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<AggregateException>(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));
        clock.Stop();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);

        Assert.Equal(RetryBudget.MaxRetries + 1, failure.InnerExceptions.Count);
        Assert.All(failure.InnerExceptions, e => Assert.IsType<TaskCanceledException>(e));
        Assert.Equal(RetryBudget.MaxRetries + 1, accepted.Count);
        Assert.True(clock.Elapsed < budget + FaultFixture.Margin, $"Gave up after {clock.Elapsed}.");
        Assert.True(FaultFilter.IsDependencyFault(failure));
        accepted.ForEach(s => s.Dispose());
    }
}
