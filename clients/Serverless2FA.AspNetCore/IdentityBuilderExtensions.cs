using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Serverless2FA to ASP.NET Core Identity.</summary>
public static class Serverless2FAIdentityBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="Serverless2FATokenProvider{TUser}"/> as a two-factor token provider (and, by default, as
    /// Identity's authenticator provider), <see cref="Serverless2FASignInManager{TUser}"/> as the sign-in manager,
    /// <see cref="Serverless2FALogin{TUser}"/> and <see cref="RememberedComputers"/>. Register the client with
    /// <c>services.AddServerless2FAClient(…)</c> too.
    /// </summary>
    public static IdentityBuilder AddServerless2FA(this IdentityBuilder builder, Action<Serverless2FAIdentityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var chosen = new Serverless2FAIdentityOptions();
        configure?.Invoke(chosen);
        var services = builder.Services;
        services.AddOptions<Serverless2FAIdentityOptions>().Configure(o => configure?.Invoke(o));
        services.AddHttpContextAccessor();
        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RememberedComputers>();
        services.TryAddSingleton<PendingVerifications>();

        var user = builder.UserType;
        services.TryAddScoped(typeof(Serverless2FALogin<>).MakeGenericType(user));
        builder.AddTokenProvider(chosen.ProviderName, typeof(Serverless2FATokenProvider<>).MakeGenericType(user));
        var manager = typeof(Serverless2FASignInManager<>).MakeGenericType(user);
        services.AddScoped(manager);
        services.AddScoped(typeof(SignInManager<>).MakeGenericType(user), provider => provider.GetRequiredService(manager));
        if (chosen.UseForAuthenticatorSignIn)
        {
            services.Configure<IdentityOptions>(o => o.Tokens.AuthenticatorTokenProvider = chosen.ProviderName);
        }

        return builder;
    }
}
