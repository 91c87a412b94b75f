using Microsoft.AspNetCore.Identity;
using Serverless2FA.Client.Webhooks;
using Serverless2FA.DemoApp.Data;

namespace Serverless2FA.DemoApp.TwoFactor;

/// <summary>
/// The service's events (Standard Webhooks), when <see cref="EventsSecret"/> has the secret (<c>Serverless2FA:WebhookSecret</c>,
/// or beside the local host its secret file): they flip the app's record, which the Settings page's poll reads. Each handler sets a state rather than toggling one, so the same
/// event delivered twice (delivery is at least once) has one effect.
/// </summary>
public static class Serverless2FAEvents
{
    public static void MapServerless2FAEvents(this IEndpointRouteBuilder app, string path)
        => app.MapPost(path, async (HttpRequest request, EventsSecret secret, UserManager<DemoUser> users, ILoggerFactory logs) =>
        {
            if (secret.Verifier is not { } verifier)
            {
                return Results.NotFound();
            }

            Serverless2FAEvent received;
            try
            {
                received = await verifier.VerifyAsync(request, request.HttpContext.RequestAborted);
            }
            catch (Serverless2FAWebhookException ex)
            {
                logs.CreateLogger(typeof(Serverless2FAEvents)).LogWarning("Refused a Serverless2FA event: {Reason}", ex.Message);
                return Results.BadRequest();
            }

            if (await users.FindByIdAsync(received.UserId) is not { } user)
            {
                return Results.NoContent();
            }

            switch (received)
            {
                case EnrollmentCompletedEvent completed:
                    user.TwoFactorEnabled = true;
                    // A late copy of an earlier enrollment's event must not end the wait for a newer link.
                    if (completed.EnrollmentId == user.PendingEnrollmentId)
                    {
                        user.PendingEnrollmentId = null;
                    }

                    break;
                case EnrollmentExpiredEvent expired when expired.EnrollmentId == user.PendingEnrollmentId:
                case EnrollmentFailedEvent failed when failed.EnrollmentId == user.PendingEnrollmentId:
                    user.PendingEnrollmentId = null;
                    break;
                case TwoFactorDisabledEvent:
                    user.TwoFactorEnabled = false;
                    user.PendingEnrollmentId = null;
                    break;
                default:
                    return Results.NoContent();
            }

            await users.UpdateAsync(user);
            return Results.NoContent();
        }).DisableAntiforgery();
}
