using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Serverless2FA.AspNetCore;

internal static class ServiceUserIds
{
    public static async Task<string> OfAsync<TUser>(UserManager<TUser> manager, TUser user, IOptions<Serverless2FAIdentityOptions> options)
        where TUser : class
        => options.Value.ServiceUserId(await manager.GetUserIdAsync(user).ConfigureAwait(false));
}
