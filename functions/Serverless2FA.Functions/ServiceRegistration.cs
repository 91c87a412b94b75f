using Microsoft.Extensions.Hosting;

namespace Serverless2FA.Functions;

public static class ServiceRegistration
{
    public static IHostApplicationBuilder AddServerless2FA(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
