using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Local.Queues;

/// <summary>
/// The queue service behind a trigger's <c>Connection</c>, found as the Functions host finds it: the setting of that
/// name holding a connection string, or its section's <c>ConnectionString</c>, or its <c>QueueServiceUri</c> reached
/// with the managed identity (no name: <c>AzureWebJobsStorage</c>). Each call is held to <c>Storage:RequestBudget</c>.
/// </summary>
internal sealed class QueueConnections(IConfiguration configuration, IOptions<StorageOptions> storage, QueueHostOptions host)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, QueueServiceClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public QueueServiceClient For(string? connection)
        => _clients.GetOrAdd(string.IsNullOrEmpty(connection) ? DefaultConnection : connection, Create);

    private QueueServiceClient Create(string name)
    {
        var options = RetryBudget.Within(
            new QueueClientOptions { MessageEncoding = host.MessageEncoding == "none" ? QueueMessageEncoding.None : QueueMessageEncoding.Base64 },
            storage.Value.RequestBudget);
        var section = configuration.GetSection(name);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueServiceClient(section.Value, options);
        }

        if (section["ConnectionString"] is { Length: > 0 } connectionString)
        {
            return new QueueServiceClient(connectionString, options);
        }

        if (Uri.TryCreate(section["QueueServiceUri"], UriKind.Absolute, out var uri))
        {
            return new QueueServiceClient(uri, new DefaultAzureCredential(), options);
        }

        throw new InvalidOperationException(
            $"The queue connection '{name}' is not set: give the setting '{name}' a connection string, or set '{name}:ConnectionString' or '{name}:QueueServiceUri'.");
    }
}
