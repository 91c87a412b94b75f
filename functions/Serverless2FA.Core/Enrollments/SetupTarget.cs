namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Which pending enrollment a setup step acts on: the one behind a setup session cookie (the setup page), or a
/// named one found by the phone that texts the service (the SMS bot). Both run the same steps.
/// </summary>
public readonly record struct SetupTarget
{
    private SetupTarget(string? cookie, string? userKey, string? enrollmentId)
    {
        Cookie = cookie;
        UserKey = userKey;
        EnrollmentId = enrollmentId;
    }

    public string? Cookie { get; }

    public string? UserKey { get; }

    public string? EnrollmentId { get; }

    public bool IsSession => UserKey is null;

    public static SetupTarget Session(string? cookie) => new(cookie, null, null);

    /// <summary>The enrollment <paramref name="enrollmentId"/> of <paramref name="userKey"/>, if it is still that one.</summary>
    public static SetupTarget Enrollment(string userKey, string enrollmentId) => new(null, userKey, enrollmentId);
}
