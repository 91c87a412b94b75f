using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Serverless2FA.Client;

namespace Serverless2FA.AspNetCore;

/// <summary>
/// The second step of one browser's sign-in, over the service: starts a verification (keeping its id in this
/// browser's pending-verification cookie, bound to the user), checks the code against it, and keeps or uses the
/// remembered-computer cookie. Scoped to the request; the token provider and the sign-in manager use it, and a
/// page may too (to say where the code comes from, or why it was refused).
/// </summary>
public sealed class Serverless2FALogin<TUser>(
    IServerless2FAClient client,
    UserManager<TUser> users,
    IHttpContextAccessor http,
    PendingVerifications pending,
    RememberedComputers computers,
    IOptions<Serverless2FAIdentityOptions> options,
    TimeProvider time)
    where TUser : class
{
    // The service's Verification:CodeTtl; a problem answer does not say when its verification expires.
    private static readonly TimeSpan NotSentLifetime = TimeSpan.FromMinutes(10);
    private PendingVerification? _started;
    private string? _issuedDeviceToken;

    /// <summary>The last check's outcome in this request, to tell the person why a code was refused.</summary>
    public VerificationCheck? LastCheck { get; private set; }

    /// <summary>Whether the person asked to remember this computer in the sign-in being checked now.</summary>
    internal bool RememberRequested { get; set; }

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("Serverless2FA sign-in needs an HTTP request.");

    /// <summary>The service's userId for <paramref name="user"/>.</summary>
    public Task<string> ServiceUserIdAsync(TUser user) => ServiceUserIds.OfAsync(users, user, options);

    /// <summary>The verification pending for <paramref name="user"/> in this browser, if any and not expired.</summary>
    public async Task<PendingVerification?> PendingAsync(TUser user)
    {
        var userId = await ServiceUserIdAsync(user).ConfigureAwait(false);
        return _started is { } started && started.UserId == userId ? started : pending.Read(Context, userId);
    }

    /// <summary>
    /// Starts a verification for <paramref name="user"/>, passing this browser's device token: for SMS users the
    /// service texts a code. A verification already pending in this browser is reused (no second text) unless
    /// <paramref name="resend"/>; the service's cooldown holds either way.
    /// </summary>
    public async Task<VerificationStart> StartAsync(TUser user, bool resend = false, CancellationToken cancellationToken = default)
    {
        var userId = await ServiceUserIdAsync(user).ConfigureAwait(false);
        if (!resend && await PendingAsync(user).ConfigureAwait(false) is { Method: { } method } open)
        {
            return new VerificationStart.Required(open.VerificationId, method, open.ExpiresAt);
        }

        var deviceToken = computers.Read(Context, userId);
        var start = await client.StartVerificationAsync(userId, deviceToken, cancellationToken).ConfigureAwait(false);
        switch (start)
        {
            case VerificationStart.Required required:
                if (deviceToken is not null)
                {
                    // The service no longer remembers this computer (forgotten, expired, new factor, or every-login).
                    RememberedComputers.Forget(Context, userId);
                }

                Keep(new PendingVerification(userId, required.VerificationId, required.Method, required.ExpiresAt));
                break;
            case VerificationStart.CodeNotSent { VerificationId: { } id }:
                // The verification stands (the code texted moments ago, or an emergency code): keep checking against it.
                var earlier = await PendingAsync(user).ConfigureAwait(false);
                Keep(earlier?.VerificationId == id ? earlier : new PendingVerification(userId, id, null, time.GetUtcNow() + NotSentLifetime));
                break;
        }

        return start;
    }

    /// <summary>
    /// Checks <paramref name="code"/> (6 digits, or an emergency code) against the verification pending for
    /// <paramref name="user"/>. With none pending, an authenticator user's code is checked against a new one; an SMS
    /// user gets a code texted and this answers <see cref="VerificationCheck.Expired"/> (enter the new code).
    /// </summary>
    public async Task<VerificationCheck> CheckAsync(TUser user, string code, bool rememberComputer, CancellationToken cancellationToken = default)
    {
        var userId = await ServiceUserIdAsync(user).ConfigureAwait(false);
        var open = await PendingAsync(user).ConfigureAwait(false);
        if (open is null)
        {
            var start = await StartAsync(user, resend: true, cancellationToken).ConfigureAwait(false);
            string? verificationId;
            switch (start)
            {
                case VerificationStart.Required { Method: TwoFactorMethod.Authenticator } required:
                    verificationId = required.VerificationId;
                    break;
                case VerificationStart.NotRequired notRequired:
                    verificationId = notRequired.VerificationId;
                    break;
                case VerificationStart.CodeNotSent { VerificationId: { } pendingId }:
                    verificationId = pendingId;
                    break;
                case VerificationStart.Locked locked:
                    return LastCheck = new VerificationCheck.Locked(locked.RetryAfter, locked.Problem);
                case VerificationStart.NotEnrolled notEnrolled:
                    return LastCheck = new VerificationCheck.NotFound(notEnrolled.Problem);
                default:
                    // A code was just texted for a new verification: the one typed was for none.
                    return LastCheck = new VerificationCheck.Expired(new Problem
                    {
                        Type = Problem.TypePrefix + ProblemCodes.Gone,
                        Status = StatusCodes.Status410Gone,
                        Title = "No code was asked for.",
                        Detail = start is VerificationStart.Required ? "We texted you a new code. Enter it." : "Sign in again.",
                    });
            }

            open = new PendingVerification(userId, verificationId, null, time.GetUtcNow() + NotSentLifetime);
        }

        var check = await client.CheckVerificationAsync(open.VerificationId, userId, code, rememberComputer, cancellationToken).ConfigureAwait(false);
        switch (check)
        {
            case VerificationCheck.Approved approved:
                Clear();
                _issuedDeviceToken = approved.DeviceToken;
                break;
            case VerificationCheck.Expired or VerificationCheck.Locked or VerificationCheck.NotFound:
                // This verification is over; the next attempt starts a new one.
                Clear();
                break;
        }

        return LastCheck = check;
    }

    /// <summary>Keeps the device token of the approval just made, when the person asked and the policy allows.</summary>
    internal async Task<bool> RememberIssuedDeviceAsync(TUser user)
    {
        if (_issuedDeviceToken is not { } token)
        {
            return false;
        }

        computers.Remember(Context, await ServiceUserIdAsync(user).ConfigureAwait(false), token);
        _issuedDeviceToken = null;
        return true;
    }

    /// <summary>Forgets the pending verification of this browser (sign-out).</summary>
    public void Clear()
    {
        _started = null;
        PendingVerifications.Clear(Context);
    }

    private void Keep(PendingVerification verification)
    {
        _started = verification;
        pending.Write(Context, verification);
    }
}
