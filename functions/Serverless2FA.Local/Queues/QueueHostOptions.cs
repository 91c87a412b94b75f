using System.Globalization;
using System.Text.Json;

namespace Serverless2FA.Local.Queues;

/// <summary>
/// host.json's <c>extensions.queues</c>, with the Functions host's defaults, as the local host's queue trigger honours
/// them. A setting <c>AzureFunctionsJobHost:extensions:queues:&lt;name&gt;</c> (environment variable
/// <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c>) overrides host.json, as it does for the Functions host.
/// </summary>
internal sealed record QueueHostOptions
{
    public const string OverrideSection = "AzureFunctionsJobHost:extensions:queues";

    /// <summary>The shortest wait between polls of an empty queue; the wait doubles up to <see cref="MaxPollingInterval"/>.</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Setting for how long a message being processed stays invisible to other readers: 10 minutes, as on the Functions
    /// host. A receive the client gave up on (storage stalled) may still have taken a message, which then reappears
    /// only after this; tests shorten it.
    /// </summary>
    public const string ProcessingVisibilitySetting = "LocalHost:QueueMessageVisibility";

    public TimeSpan ProcessingVisibility { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a message whose function failed stays invisible before it is tried again.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    public int BatchSize { get; init; } = 16;

    /// <summary>Tries of one message before it is moved to <c>&lt;queue&gt;-poison</c>.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary><c>base64</c> (the default) or <c>none</c>.</summary>
    public string MessageEncoding { get; init; } = "base64";

    /// <summary>Reads host.json in <paramref name="directory"/>, then the overrides in <paramref name="configuration"/>.</summary>
    public static QueueHostOptions Read(string directory, IConfiguration configuration)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var path = Path.Combine(directory, "host.json");
        if (File.Exists(path))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var queues))
            {
                foreach (var property in queues.EnumerateObject())
                {
                    settings[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }

        foreach (var setting in configuration.GetSection(OverrideSection).GetChildren().Where(s => s.Value is not null))
        {
            settings[setting.Key] = setting.Value!;
        }

        var defaults = new QueueHostOptions();
        var options = new QueueHostOptions
        {
            MaxPollingInterval = Time(settings, "maxPollingInterval", defaults.MaxPollingInterval),
            VisibilityTimeout = Time(settings, "visibilityTimeout", defaults.VisibilityTimeout),
            BatchSize = Number(settings, "batchSize", defaults.BatchSize),
            MaxDequeueCount = Number(settings, "maxDequeueCount", defaults.MaxDequeueCount),
            MessageEncoding = settings.GetValueOrDefault("messageEncoding", defaults.MessageEncoding).ToLowerInvariant(),
            ProcessingVisibility = configuration.GetValue(ProcessingVisibilitySetting, defaults.ProcessingVisibility),
        };
        return options switch
        {
            { MaxPollingInterval: var p } when p < MinPollingInterval => throw Bad("maxPollingInterval", $"at least {MinPollingInterval}"),
            { VisibilityTimeout: var v } when v < TimeSpan.Zero => throw Bad("visibilityTimeout", "not negative"),
            { ProcessingVisibility: var pv } when pv < TimeSpan.FromSeconds(1) => throw new InvalidOperationException($"{ProcessingVisibilitySetting} must be at least 00:00:01."),
            { BatchSize: < 1 or > 32 } => throw Bad("batchSize", "1-32"),
            { MaxDequeueCount: < 1 } => throw Bad("maxDequeueCount", "at least 1"),
            { MessageEncoding: not ("base64" or "none") } => throw Bad("messageEncoding", "base64 or none"),
            _ => options,
        };
    }

    private static TimeSpan Time(Dictionary<string, string> settings, string name, TimeSpan fallback)
        => !settings.TryGetValue(name, out var text) ? fallback
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
            : throw Bad(name, "a time span such as 00:00:02");

    private static int Number(Dictionary<string, string> settings, string name, int fallback)
        => !settings.TryGetValue(name, out var text) ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw Bad(name, "a whole number");

    private static InvalidOperationException Bad(string name, string expected)
        => new($"host.json extensions.queues.{name} (or {OverrideSection}:{name}) must be {expected}.");
}
