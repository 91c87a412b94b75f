using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless2FA.Bot;

public static class SmsBotServiceCollectionExtensions
{
    /// <summary>The SMS conversation over Core's steps (register Core first: <c>AddServerless2FACore</c>).</summary>
    public static IServiceCollection AddSmsBot(this IServiceCollection services)
    {
        services.TryAddSingleton<BotSteps>();
        services.TryAddSingleton<SmsBot>();
        return services;
    }
}
