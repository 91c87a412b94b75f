extern alias local;

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Faults;

/// <summary>
/// The service as <see cref="ServiceFixture"/> runs it, on an Azurite the tests can pause, stop and start again
/// (<see cref="StoppableAzurite"/>), with small budgets so a fault is answered in seconds. One per fault collection,
/// so faults never reach the other tests, and the collections run in parallel with them.
/// </summary>
public class FaultFixture : ServiceFixture
{
    public static readonly TimeSpan StorageBudget = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan SendBudget = TimeSpan.FromSeconds(2);

    /// <summary>What a request may take beyond its budget: its own work, and a busy two-core machine.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    public StoppableAzurite Storage { get; private set; } = null!;

    /// <summary>Stops storage; <see cref="StartStorageAsync"/> brings it back on the same port and data.</summary>
    public Task StopStorageAsync() => Storage.StopAsync();

    public async Task StartStorageAsync()
    {
        await Storage.RestartAsync();
        Azurite = Storage.Instance;
    }

    /// <summary>
    /// A second host on the same storage whose tables carry a fresh prefix, so none of them exists yet: its first
    /// requests create them. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<local::Program> NewHostWithFreshTables()
    {
        var settings = Settings();
        settings["Storage:TablePrefix"] = "f" + Guid.NewGuid().ToString("N")[..12];
        return CreateFactory(settings);
    }

    /// <summary>A client that gives up long after any budget, so a hang fails the test instead of stalling the run.</summary>
    public HttpClient NewFaultClient()
    {
        var client = NewClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Storage is not null)
        {
            await Storage.DisposeAsync();
        }
    }

    protected override async Task<AzuriteInstance> StartAzuriteAsync()
    {
        Storage = await StoppableAzurite.StartAsync();
        return Storage.Instance;
    }

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Storage:RequestBudget"] = StorageBudget.ToString();
        settings["Twilio:SendBudget"] = SendBudget.ToString();
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class StorageStallCollection : ICollectionFixture<FaultFixture>
{
    public const string Name = "Storage stall";
}

[CollectionDefinition(Name)]
public sealed class StorageDownCollection : ICollectionFixture<FaultFixture>
{
    public const string Name = "Storage down";
}

[CollectionDefinition(Name)]
public sealed class TwilioHangCollection : ICollectionFixture<FaultFixture>
{
    public const string Name = "Twilio hang";
}

/// <summary>One answer and how long it took.</summary>
public sealed record TimedAnswer(string What, HttpStatusCode Status, string? ContentType, TimeSpan? RetryAfter, TimeSpan Elapsed, string Body)
{
    public static async Task<TimedAnswer> Of(string what, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (TaskCanceledException)
        {
            // The client gave up (FaultFixture.NewFaultClient): recorded as no answer, which every assertion refuses.
            return new TimedAnswer(what, 0, null, null, clock.Elapsed, "");
        }

        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        return new TimedAnswer(
            what,
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta,
            clock.Elapsed,
            body);
    }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>Writes each answer, and the slowest, to the test output: the figures a fault run is judged by.</summary>
    public static void Report(ITestOutputHelper output, IReadOnlyCollection<TimedAnswer> answers, params (string What, TimeSpan Elapsed)[] others)
    {
        foreach (var answer in answers)
        {
            output.WriteLine(answer.ToString());
        }

        foreach (var (what, elapsed) in others)
        {
            output.WriteLine($"{what}: ended after {elapsed.TotalMilliseconds:F0} ms");
        }

        output.WriteLine($"slowest answer: {answers.Max(a => a.Elapsed).TotalMilliseconds:F0} ms");
    }

    public override string ToString() => $"{What}: {(int)Status} {ContentType} after {Elapsed.TotalMilliseconds:F0} ms, Retry-After {RetryAfter}";

    /// <summary>A dependency fault as the contract says: 503 problem+json with Retry-After, within <paramref name="budget"/> + margin.</summary>
    public void AssertUnavailableWithin(TimeSpan budget)
    {
        Assert.True(Status == HttpStatusCode.ServiceUnavailable, $"Expected 503: {this} {Body}");
        Assert.True(ContentType == "application/problem+json", $"Expected a problem: {this}");
        Assert.True(RetryAfter is { } retry && retry > TimeSpan.Zero && retry <= TimeSpan.FromMinutes(1), $"Expected Retry-After: {this}");
        Assert.Equal(503, Json.GetProperty("status").GetInt32());
        AssertWithin(budget);
    }

    /// <summary>The bound the budget setting promises; it is derived from a setting, not a measured performance figure.</summary>
    public void AssertWithin(TimeSpan budget)
        => Assert.True(Elapsed < budget + FaultFixture.Margin, $"Answered after the budget ({budget}) and margin ({FaultFixture.Margin}): {this}");
}
