using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.IntegrationTests.LocalHost;

[Collection(LocalHostCollection.Name)]
public sealed class OpenApiContractTestsOnLocalHost(LocalHostFixture fixture) : OpenApiContractTests
{
    /// <summary>What the local host discovered from the [Function] attributes.</summary>
    protected override IReadOnlyList<HttpFunctionRoute> HttpFunctions()
        => [.. fixture.Factory.Services.GetRequiredService<FunctionCatalog>().Http
            .Select(f => (f.Name, Trigger: (HttpTriggerInfo)f.Trigger))
            .Select(f => new HttpFunctionRoute(f.Name, f.Trigger.RouteTemplate, f.Trigger.Methods))];
}

/// <summary>openapi.yaml describes exactly the HTTP functions the app has, as each host sees them.</summary>
public abstract partial class OpenApiContractTests
{
    private static readonly string[] AllMethods = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

    [Fact]
    public void EveryOpenApiOperation_IsAnHttpFunction()
    {
        var functions = FunctionOperations();
        var missing = OpenApiOperations().Where(o => !functions.Contains(o)).ToList();

        Assert.True(missing.Count == 0, "In openapi.yaml but no function serves it: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryHttpFunctionRoute_IsInOpenApi()
    {
        var documented = OpenApiOperations();
        var http = HttpFunctions().Select(f => (f.Name, Trigger: f)).ToList();

        // A function declaring methods must document each; one accepting any method, at least one.
        var missing = http
            .Where(f => f.Trigger.Methods.Count == 0
                ? !Operations(f.Trigger).Any(documented.Contains)
                : !Operations(f.Trigger).All(documented.Contains))
            .Select(f => $"{f.Name} ({Normalize(f.Trigger.RouteTemplate)})")
            .ToList();

        Assert.NotEmpty(http);
        Assert.True(missing.Count == 0, "Functions missing from openapi.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Parser_ReadsPathsAndMethodsOnly()
    {
        const string yaml = """
            openapi: 3.1.0
            paths:
              /api/a/{id}:
                get:
                  responses:
                    '200':
                      description: ok
                parameters: []
                post:
                  summary: x
              '/s/{token}':
                delete: {}
            components:
              schemas:
                put:
                  type: object
            """;

        var operations = OpenApiPaths.Parse(yaml);

        Assert.Equal(
            new HashSet<(string, string)> { ("/api/a/{id}", "GET"), ("/api/a/{id}", "POST"), ("/s/{token}", "DELETE") },
            operations.ToHashSet());
    }

    private static HashSet<(string Path, string Method)> OpenApiOperations()
        => OpenApiPaths.Parse(File.ReadAllText(RepositoryFiles.OpenApi)).Select(o => (Normalize(o.Path), o.Method)).ToHashSet();

    /// <summary>The HTTP functions the host serves: name, route template (route prefix included) and methods (none: any).</summary>
    protected abstract IReadOnlyList<HttpFunctionRoute> HttpFunctions();

    private HashSet<(string Path, string Method)> FunctionOperations()
        => HttpFunctions()
            .SelectMany(Operations)
            .ToHashSet();

    private static IEnumerable<(string Path, string Method)> Operations(HttpFunctionRoute trigger)
        => (trigger.Methods.Count == 0 ? AllMethods : trigger.Methods.Select(m => m.ToUpperInvariant()))
            .Select(m => (Normalize(trigger.RouteTemplate), m));

    /// <summary><c>api/x/{id:guid}</c> and <c>/api/x/{id}</c> name the same path.</summary>
    private static string Normalize(string route) => "/" + RouteParameter().Replace(route.Trim('/'), "{${name}}");

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}

public sealed record HttpFunctionRoute(string Name, string RouteTemplate, IReadOnlyList<string> Methods);
