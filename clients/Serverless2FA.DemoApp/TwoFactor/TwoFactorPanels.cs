using Microsoft.AspNetCore.Identity;
using Serverless2FA.Client;
using Serverless2FA.DemoApp.Data;

namespace Serverless2FA.DemoApp.TwoFactor;

/// <summary>
/// The Settings page's view of two-factor. The app keeps its own record (<see cref="IdentityUser.TwoFactorEnabled"/>,
/// <see cref="DemoUser.PendingEnrollmentId"/>); the service's events keep it in step when the app receives them
/// (<see cref="EventsSecret"/>), otherwise a read of the service's status does, on each poll.
/// </summary>
public sealed class TwoFactorPanels(IServerless2FAClient service, UserManager<DemoUser> users, EventsSecret events, WaitingStatusReads safetyNet)
{
    private static readonly HashSet<string> InProgress = ["link-sent", "awaiting-text", "opened", "verified"];

    public bool EventsOn => events.On;

    /// <summary>Reads the service's status and brings the app's record in step with it.</summary>
    public async Task<TwoFactorPanel> RefreshAsync(DemoUser user)
    {
        var status = await service.GetTwoFactorStatusAsync(user.Id);
        var pending = status.PendingEnrollment is { Status: { } s } p && InProgress.Contains(s) ? p : null;
        var ended = status.PendingEnrollment is { } last && pending is null && last.EnrollmentId == user.PendingEnrollmentId ? last : null;
        if (user.TwoFactorEnabled != status.Enrolled || user.PendingEnrollmentId != pending?.EnrollmentId)
        {
            user.TwoFactorEnabled = status.Enrolled;
            user.PendingEnrollmentId = pending?.EnrollmentId;
            await users.UpdateAsync(user);
        }

        var state = pending is not null ? PanelState.Pending : status.Enrolled ? PanelState.On : PanelState.Off;
        return new TwoFactorPanel(state, status)
        {
            Error = ended?.Status switch
            {
                "expired" => "The link expired before setup was finished. Text yourself a new one.",
                "failed" => "The text could not be delivered. Check the number and try again.",
                "cancelled" => "Setup was cancelled from the phone.",
                _ => null,
            },
        };
    }

    /// <summary>
    /// For the page's poll: with events on, the app's own record, which the event changes (no call to the service
    /// while it waits, but for the occasional <see cref="WaitingStatusReads"/> safety net).
    /// </summary>
    public async Task<TwoFactorPanel> PollAsync(DemoUser user)
    {
        if (EventsOn && user.PendingEnrollmentId is not null && !safetyNet.Due(user.Id))
        {
            return new TwoFactorPanel(PanelState.Pending, null);
        }

        var panel = await RefreshAsync(user);
        if (panel.State != PanelState.Pending)
        {
            safetyNet.Done(user.Id);
        }

        return panel;
    }

    /// <summary>"Text me" was answered: the page waits for the person to finish on the phone.</summary>
    public async Task MarkPendingAsync(DemoUser user, string enrollmentId)
    {
        user.PendingEnrollmentId = enrollmentId;
        await users.UpdateAsync(user);
    }

    /// <summary>Two-factor turned off here.</summary>
    public async Task MarkOffAsync(DemoUser user)
    {
        user.TwoFactorEnabled = false;
        user.PendingEnrollmentId = null;
        await users.UpdateAsync(user);
    }
}
