using Microsoft.Extensions.Logging;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Request paths can hold a single-use link token (<c>s/{token}</c>, <c>c/{token}</c>), so the framework categories
/// that log raw request paths (ASP.NET Core's "Request starting/finished" lines, route matching, HTTP logging, bad
/// requests) are held at Warning for every logging provider, whatever the configured levels say. Both hosts apply it.
/// </summary>
public static class TokenSafeLogging
{
    public static readonly IReadOnlyList<string> PathLoggingCategories =
    [
        // Full category names: the longest matching rule wins, so a configured rule can only tie with these.
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing.Matching.DfaMatcher",
        "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware",
        "Microsoft.AspNetCore.Server.Kestrel.BadRequests",
    ];

    /// <summary>Adds, after every configured rule, a Warning rule per category for each provider any rule names and for all.</summary>
    public static void Apply(LoggerFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A later rule of equal specificity wins, and a provider-specific rule beats a general one: so one per provider.
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        foreach (var provider in providers)
        {
            foreach (var category in PathLoggingCategories)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, filter: null));
            }
        }
    }
}
