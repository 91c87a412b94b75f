using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless2FA.Client;
using Serverless2FA.Client.Webhooks;

namespace Serverless2FA.DemoApp.TwoFactor;

/// <summary>
/// Whether the demo takes the service's events, and the verifier for them. <c>Serverless2FA:WebhookSecret</c> set, it
/// is that secret, and that is the only way outside Development: a real relying app keeps the secret in its own secret
/// store. Beside the local host, in Development, the demo needs no copy: it reads <c>events-signing-secret</c> from the
/// local host's secret file (the repository's <c>.local/secrets.json</c>, or the file <c>Demo:ServiceSecretFile</c>
/// names; an empty value turns this off). The local host makes that file on first use, which may be after the demo
/// started, so until it is found each call looks again.
/// </summary>
public sealed class EventsSecret
{
    public const string FileSetting = "Demo:ServiceSecretFile";

    private const string SecretName = "events-signing-secret";

    private readonly string? _file;
    private Serverless2FAWebhookVerifier? _verifier;

    public EventsSecret(IOptions<Serverless2FAClientOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        if (options.Value.WebhookSecret is { Length: > 0 } secret)
        {
            _verifier = new Serverless2FAWebhookVerifier(secret);
            Source = "Events are on: Serverless2FA:WebhookSecret is set.";
            return;
        }

        if (environment.IsDevelopment())
        {
            _file = configuration[FileSetting] is { } named
                ? named.Length == 0 ? null : Path.GetFullPath(named, environment.ContentRootPath)
                : FindRepositoryFile(environment.ContentRootPath);
        }

        Source = _file is null
            ? "Events are off (no Serverless2FA:WebhookSecret): the Settings page reads the service's status instead."
            : $"Events are on when {_file} holds the local host's {SecretName} (it makes the file on first use); " +
                "point the local host's Events:WebhookUrl at this app's /webhooks/serverless2fa.";
    }

    /// <summary>Where the secret comes from, for the start-up log.</summary>
    public string Source { get; }

    /// <summary>The verifier, or null while events are off.</summary>
    public Serverless2FAWebhookVerifier? Verifier
    {
        get
        {
            var verifier = Volatile.Read(ref _verifier);
            if (verifier is not null || _file is null)
            {
                return verifier;
            }

            if (Read(_file) is not { } secret)
            {
                return null;
            }

            Interlocked.CompareExchange(ref _verifier, new Serverless2FAWebhookVerifier(secret), null);
            return _verifier;
        }
    }

    public bool On => Verifier is not null;

    /// <summary>The nearest folder up from the demo that holds <c>Serverless2FA.sln</c>: the repository, whose <c>.local/</c> the local host uses.</summary>
    private static string? FindRepositoryFile(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Serverless2FA.sln")))
            {
                return Path.Combine(folder.FullName, ".local", "secrets.json");
            }
        }

        return null;
    }

    private static string? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.TryGetProperty(SecretName, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // Not there yet, or being replaced (the local host writes it whole under another name, then moves it).
            return null;
        }
    }
}
