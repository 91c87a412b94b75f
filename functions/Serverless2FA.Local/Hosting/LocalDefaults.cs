using Serverless2FA.Core.Options;

namespace Serverless2FA.Local.Hosting;

/// <summary>Settings a laptop run needs, applied only where the user set nothing.</summary>
internal static class LocalDefaults
{
    public const string Url = "http://localhost:7071";

    public const string SecretFileSetting = $"{KeyVaultOptions.Section}:{nameof(KeyVaultOptions.LocalFile)}";

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["PublicBaseUrl"] = Url,
        ["ExpirySchedule"] = "0 * * * * *",
        // The queue trigger names its queue as %Events:Queue%, which must resolve even when events are off.
        [$"{EventsOptions.Section}:{nameof(EventsOptions.Queue)}"] = new EventsOptions().Queue,
    };

    /// <summary>
    /// Builder options that make Development the default environment. It has to be chosen when the
    /// builder is created: changing it afterwards leaves the host's own IHostEnvironment unchanged.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        // The same sources the builder reads the environment from.
        var hostSettings = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        var chosen = !string.IsNullOrEmpty(hostSettings[HostDefaults.EnvironmentKey]);
        return new WebApplicationOptions { Args = args, EnvironmentName = chosen ? null : Environments.Development };
    }

    /// <param name="args">The host's command line: only an explicit <c>--urls</c> there may name a non-loopback address.</param>
    public static WebApplicationBuilder ApplyLocalDefaults(this WebApplicationBuilder builder, string[] args)
    {
        var configuration = builder.Configuration;
        AcceptDoubleUnderscoreKeys(configuration);

        var defaults = new Dictionary<string, string>(Settings);
        // Everything the local host makes lives under the repository's .local/, beside Azurite's data, not under the
        // project folder the options default would resolve against.
        if (string.IsNullOrEmpty(configuration[SecretFileSetting])
            && RepositoryRoot.Find(builder.Environment.ContentRootPath, AppContext.BaseDirectory, Directory.GetCurrentDirectory()) is { } root)
        {
            defaults[SecretFileSetting] = SecretFile(root, builder.Environment.ContentRootPath);
        }

        var missing = defaults.Where(s => string.IsNullOrEmpty(configuration[s.Key])).ToList();
        if (missing.Count > 0)
        {
            configuration.AddInMemoryCollection(missing.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        }

        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
        if (ListenAddresses.Choose(commandLine, configuration) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        if (!builder.Environment.IsDevelopment() && string.IsNullOrEmpty(configuration["KeyVault:Uri"]))
        {
            throw new InvalidOperationException(
                $"The local host runs in the '{builder.Environment.EnvironmentName}' environment only with 'KeyVault:Uri' set " +
                "(environment variable KeyVault__Uri); outside Development the local secret file is not used.");
        }

        return builder;
    }

    /// <summary>
    /// <c>&lt;repo&gt;/.local/secrets.json</c>. A file an older local host left under the project folder is moved there
    /// first: Azurite's data is encrypted and keyed with its keys, and fresh keys would make all of it unreadable.
    /// </summary>
    private static string SecretFile(string repositoryRoot, string contentRoot)
    {
        var path = Path.Combine(repositoryRoot, ".local", "secrets.json");
        var old = Path.Combine(contentRoot, ".local", "secrets.json");
        if (!File.Exists(path) && File.Exists(old) && !string.Equals(Path.GetFullPath(old), path, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(old, path);
        }

        return path;
    }

    /// <summary>Environment variables already turn <c>__</c> into <c>:</c>; do the same for the other sources (command line, JSON).</summary>
    private static void AcceptDoubleUnderscoreKeys(ConfigurationManager configuration)
    {
        var aliases = configuration.AsEnumerable()
            .Where(kv => kv.Key.Contains("__", StringComparison.Ordinal) && kv.Value is not null)
            .Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value))
            .Where(kv => configuration[kv.Key] is null)
            .ToList();
        if (aliases.Count > 0)
        {
            configuration.AddInMemoryCollection(aliases);
        }
    }
}
