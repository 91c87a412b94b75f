using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;

namespace Serverless2FA.UnitTests.Secrets;

public sealed class FileSecretStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "s2fa-secrets-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private FileSecretStore NewStore(string file = "nested/dir/secrets.json")
        => new(
            Microsoft.Extensions.Options.Options.Create(new KeyVaultOptions { LocalFile = Path.Combine(_root, file) }),
            NullLogger<FileSecretStore>.Instance);

    [Fact]
    public async Task FirstRun_CreatesTheFile_WithValidKeys()
    {
        var store = NewStore();

        var dataKeys = await store.GetAsync(SecretNames.DataKeys, CancellationToken.None);
        var lookupKey = await store.GetAsync(SecretNames.LookupKey, CancellationToken.None);

        Assert.True(File.Exists(store.FilePath));
        Assert.Equal("file", store.Kind);
        Assert.Equal(32, Convert.FromBase64String(lookupKey!).Length);
        using var keys = JsonDocument.Parse(dataKeys!);
        var active = keys.RootElement.GetProperty("active").GetString();
        Assert.Equal("v1", active);
        Assert.Equal(32, Convert.FromBase64String(keys.RootElement.GetProperty("keys").GetProperty(active!).GetString()!).Length);
        // A local token so the phone simulator can sign webhook calls; the webhooks accept nothing unsigned.
        Assert.Matches("^[0-9a-f]{32}$", await store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(store.FilePath)!, "*.tmp"));
    }

    [Fact]
    public async Task FirstRun_GeneratesAnEventsSigningSecret_ThatStandardWebhooksAccepts()
    {
        var secret = await NewStore().GetAsync(SecretNames.EventsSigningSecret, CancellationToken.None);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret!["whsec_".Length..]).Length);
        var signature = new StandardWebhooks.StandardWebhook(secret).Sign("evt_1", DateTimeOffset.UnixEpoch, "{}");
        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderFileWithoutAnEventsSigningSecret_GetsOneAdded_KeepingEveryOtherSecret()
    {
        var path = Path.Combine(_root, "old/secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, """{ "lookup-key": "AAAA", "twilio-auth-token": "abc" }""");

        var secret = await NewStore("old/secrets.json").GetAsync(SecretNames.EventsSigningSecret, CancellationToken.None);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var again = NewStore("old/secrets.json");
        Assert.Equal(secret, await again.GetAsync(SecretNames.EventsSigningSecret, CancellationToken.None));
        Assert.Equal("AAAA", await again.GetAsync(SecretNames.LookupKey, CancellationToken.None));
        Assert.Equal("abc", await again.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
    }

    [Fact]
    public async Task AFailedRead_IsTriedAgainNextTime_NotRememberedAsFailed()
    {
        var store = NewStore("blocked/secrets.json");
        // A file where the folder must go: creating the secret file fails, as a full or read-only disk would.
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, "blocked"), "not a folder");

        await Assert.ThrowsAnyAsync<IOException>(() => store.GetAsync(SecretNames.LookupKey, CancellationToken.None));
        File.Delete(Path.Combine(_root, "blocked"));

        Assert.NotNull(await store.GetAsync(SecretNames.LookupKey, CancellationToken.None));
    }

    [Fact]
    public async Task FirstRun_FileIsReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no Unix modes; the file inherits the profile directory's ACL.
        }

        var store = NewStore();

        await store.GetAsync(SecretNames.LookupKey, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
    }

    [Fact]
    public async Task SecondInstance_ReadsTheSameValues()
    {
        var first = await NewStore().GetAsync(SecretNames.LookupKey, CancellationToken.None);
        var second = await NewStore().GetAsync(SecretNames.LookupKey, CancellationToken.None);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ParallelCreators_AgreeOnOneSetOfKeys()
    {
        var stores = Enumerable.Range(0, 16).Select(_ => NewStore("race/secrets.json")).ToArray();

        var keys = await Task.WhenAll(stores.Select(s => Task.Run(() => s.GetAsync(SecretNames.LookupKey, CancellationToken.None))));

        Assert.Single(keys.Distinct());
        Assert.NotNull(keys[0]);
    }

    [Fact]
    public async Task HandAddedSecrets_AreRead()
    {
        var path = Path.Combine(_root, "hand.json");
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(path, """{"twilio-auth-token":"abc","lookup-key":"bG9vaw=="}""");

        var store = NewStore("hand.json");

        Assert.Equal("abc", await store.GetAsync(SecretNames.TwilioAuthToken, CancellationToken.None));
        Assert.Equal("bG9vaw==", await store.GetAsync(SecretNames.LookupKey, CancellationToken.None));
    }
}
