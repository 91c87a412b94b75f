using Microsoft.AspNetCore.Identity;

namespace Serverless2FA.DemoApp.Data;

/// <summary>A person of the demo app; <see cref="IdentityUser.Id"/> (a GUID) is the service's userId.</summary>
public sealed class DemoUser : IdentityUser
{
    /// <summary>The enrollment "Text me" started and that has not finished: the Settings page says "We texted you a link".</summary>
    public string? PendingEnrollmentId { get; set; }
}
