using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.IntegrationTests.LocalHost;

/// <summary>What the local host discovers must be what the Functions SDK tells Azure (DESIGN decision 1).</summary>
[Collection(LocalHostCollection.Name)]
public sealed class FunctionsMetadataContractTests(LocalHostFixture fixture)
{
    [Fact]
    public void DiscoveredFunctions_EqualGeneratedFunctionsMetadata()
    {
        var expected = ReadMetadata(RepositoryFiles.FunctionsMetadata);
        var discovered = fixture.Factory.Services.GetRequiredService<FunctionCatalog>().All.Select(Contract).ToList();

        Assert.NotEmpty(expected);
        Assert.Contains(expected, f => f.TriggerType == "queueTrigger");
        Assert.Equal(expected.OrderBy(f => f.Name), discovered.OrderBy(f => f.Name));
    }

    private sealed record FunctionContract(
        string Name, string EntryPoint, string TriggerType, string? Route, string Methods, string? AuthLevel, string? Schedule, bool RunOnStartup,
        string? QueueName = null, string? Connection = null);

    private static FunctionContract Contract(FunctionDescriptor function) => function.Trigger switch
    {
        HttpTriggerInfo http => new(function.Name, function.EntryPoint, http.Type, http.Route, Join(http.Methods), http.AuthLevel, null, false),
        TimerTriggerInfo timer => new(function.Name, function.EntryPoint, timer.Type, null, "", null, timer.Schedule, timer.RunOnStartup),
        QueueTriggerInfo queue => new(function.Name, function.EntryPoint, queue.Type, null, "", null, null, false, queue.QueueName, queue.Connection),
        _ => throw new InvalidOperationException($"Unexpected trigger {function.Trigger.Type}."),
    };

    private static List<FunctionContract> ReadMetadata(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(function =>
        {
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            var methods = trigger.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!) : [];
            return new FunctionContract(
                function.GetProperty("name").GetString()!,
                function.GetProperty("entryPoint").GetString()!,
                trigger.GetProperty("type").GetString()!,
                Optional(trigger, "route"),
                Join(methods),
                Optional(trigger, "authLevel"),
                Optional(trigger, "schedule"),
                trigger.TryGetProperty("runOnStartup", out var r) && r.GetBoolean(),
                Optional(trigger, "queueName"),
                Optional(trigger, "connection"));
        }).ToList();
    }

    private static string? Optional(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string Join(IEnumerable<string> methods)
        => string.Join(",", methods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal));
}
