using System.Net;

namespace Serverless2FA.Local.Http;

/// <summary>
/// <c>dev/*</c> (the phone simulator, the outbox) and <c>admin/*</c> (run a function now) are for the developer at
/// this machine: a caller from elsewhere gets 403, even when the host was started with a non-loopback
/// <c>--urls</c>. A request relayed by a proxy or tunnel on this machine (ngrok and the like add
/// <c>X-Forwarded-For</c> or <c>Forwarded</c>) is not local either. No remote address at all means an in-process
/// or Unix-socket caller, which is local.
/// </summary>
internal static class LoopbackOnly
{
    private static readonly PathString[] Prefixes = ["/dev", "/admin"];

    private static readonly string[] RelayHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP"];

    public static IApplicationBuilder UseLoopbackOnlyForDevAndAdmin(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            // StartsWithSegments ignores case, as routing does: /DEV/outbox is guarded too.
            if (Prefixes.Any(prefix => context.Request.Path.StartsWithSegments(prefix)) && !IsLocalCaller(context))
            {
                await HostProblems.Forbidden("dev/* and admin/* answer callers on this machine only.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    public static bool IsLocalCaller(HttpContext context)
    {
        if (RelayHeaders.Any(context.Request.Headers.ContainsKey))
        {
            return false;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return true;
        }

        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }
}
