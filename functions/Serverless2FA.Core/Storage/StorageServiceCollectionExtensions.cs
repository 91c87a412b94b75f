using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage seam over the registered <c>TableServiceClient</c>: the tables, the expiry index and optimistic concurrency.</summary>
    public static IServiceCollection AddServerless2FAStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<Tables>();
        services.TryAddSingleton<ExpiryIndex>();
        services.TryAddSingleton<Optimistic>();
        services.TryAddSingleton<IExpiryIndexStore, TableExpiryIndexStore>();
        return services;
    }
}
