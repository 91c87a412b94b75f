using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Secrets;

/// <summary>
/// Secrets from a local JSON file (name → string), for a laptop and CI. On first run the file is created with fresh
/// data and lookup keys, an events signing secret and a local Twilio auth token (for signing the phone simulator's
/// webhook calls), readable by the owner only; Twilio secrets may be added to it by hand (read at start-up). A file
/// from an older build that lacks a generated secret which needs no coordination (the events signing secret) gets it added.
/// Two processes starting at once agree on one file: each writes a private temporary file and only the first
/// to move it into place wins; the others read the winner's.
/// </summary>
public sealed partial class FileSecretStore(
    IOptions<KeyVaultOptions> options,
    ILogger<FileSecretStore> logger,
    IHostEnvironment? environment = null) : ISecretStore
{
    public const string KindName = "file";

    private const int KeyBytes = 32;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Lock _gate = new();
    private Task<Dictionary<string, string>>? _secrets;

    public string Kind => KindName;

    /// <summary>The file's full path: a relative <see cref="KeyVaultOptions.LocalFile"/> is taken from the content root.</summary>
    public string FilePath => ResolvePath(options.Value, environment);

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var secrets = await LoadedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return secrets.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The file, read once; a read that failed (a file being replaced, a full disk) is tried again next time.</summary>
    private Task<Dictionary<string, string>> LoadedAsync()
    {
        lock (_gate)
        {
            if (_secrets is null || _secrets.IsFaulted || _secrets.IsCanceled)
            {
                _secrets = Task.Run(() => Load(options.Value, environment, logger));
            }

            return _secrets;
        }
    }

    private static string ResolvePath(KeyVaultOptions options, IHostEnvironment? environment)
        => Path.GetFullPath(options.LocalFile, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());

    private static Dictionary<string, string> Load(KeyVaultOptions options, IHostEnvironment? environment, ILogger logger)
    {
        var path = ResolvePath(options, environment);
        if (!File.Exists(path) && TryCreate(path))
        {
            LogCreated(logger, path);
        }

        var secrets = Read(path);
        if (secrets.ContainsKey(SecretNames.EventsSigningSecret))
        {
            return secrets;
        }

        secrets[SecretNames.EventsSigningSecret] = EventSigningSecret.New();
        Write(path, secrets, overwrite: true);
        LogAdded(logger, SecretNames.EventsSigningSecret, path);
        // Read back: when two processes add one at once, both go on with the one that landed last.
        return Read(path);
    }

    private static Dictionary<string, string> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidDataException($"The secret file {path} must hold a JSON object of names to strings.");
    }

    /// <returns>False when another process created the file first.</returns>
    private static bool TryCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secrets = new Dictionary<string, string>
        {
            [SecretNames.DataKeys] = JsonSerializer.Serialize(new { active = "v1", keys = new Dictionary<string, string> { ["v1"] = NewKey() } }),
            [SecretNames.LookupKey] = NewKey(),
            // No Twilio locally, but the webhooks still accept only signed requests: the phone simulator signs with this.
            [SecretNames.TwilioAuthToken] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            [SecretNames.EventsSigningSecret] = EventSigningSecret.New(),
        };

        try
        {
            Write(path, secrets, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static void Write(string path, Dictionary<string, string> secrets, bool overwrite)
    {
        // Written in full under a private name first, so no reader ever sees a half-written file.
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, create))
            {
                JsonSerializer.Serialize(stream, secrets, Indented);
            }

            File.Move(temporary, path, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the local secret file {Path} with new data and lookup keys")]
    private static partial void LogCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added a new {Secret} to the local secret file {Path}")]
    private static partial void LogAdded(ILogger logger, string secret, string path);
}
