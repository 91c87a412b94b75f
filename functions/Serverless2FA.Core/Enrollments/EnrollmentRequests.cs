namespace Serverless2FA.Core.Enrollments;

/// <summary>The relying app's "Text me" request, as received.</summary>
/// <param name="StepUp">For a user who is enrolled already: the id of a verification they just approved (step-up).</param>
public sealed record StartEnrollment(string? UserId, string? Phone, string? Policy, string? Locale, string? StepUp = null);

/// <param name="JoinCode">Set when the person starts by texting the service (no phone given).</param>
/// <param name="SmsNumber">The number to text <c>JOIN &lt;code&gt;</c> to.</param>
public sealed record EnrollmentStarted(string EnrollmentId, string Status, DateTimeOffset ExpiresAt, string? JoinCode = null, string? SmsNumber = null);

/// <param name="Cookie">The setup session cookie's value: the user's table key and a random secret.</param>
public sealed record SetupSessionOpened(string Cookie, DateTimeOffset ExpiresAt);
