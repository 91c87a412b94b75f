using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Table Storage (a connection string, or the service URI with a managed identity) and the storage seam over
    /// it: the tables, the expiry index, optimistic concurrency and the sweep's index store.
    /// </summary>
    public static IServiceCollection AddServerless2FAStorage(this IServiceCollection services)
    {
        StorageOptions.Bind(services);
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // One Table call, retries included, ends within the budget; then the request answers 503 (FaultFilter).
            var options = RetryBudget.Within(new TableClientOptions(), storage.RequestBudget);
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(storage.TableServiceUri, new DefaultAzureCredential(), options)
                : new TableServiceClient(storage.ConnectionString, options);
        });
        services.TryAddSingleton<Tables>();
        services.TryAddSingleton<ExpiryIndex>();
        services.TryAddSingleton<Optimistic>();
        services.TryAddSingleton<IExpiryIndexStore, TableExpiryIndexStore>();
        return services;
    }
}
