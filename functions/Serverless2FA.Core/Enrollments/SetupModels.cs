namespace Serverless2FA.Core.Enrollments;

public sealed record SetupState(
    string Status,
    string? PhoneMasked,
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> Policies,
    DateTimeOffset ExpiresAt,
    string? Method,
    string? Policy);

/// <param name="Secret">Base32, for typing by hand.</param>
public sealed record AuthenticatorSetup(string Secret, string OtpauthUri, string QrSvg);

public sealed record SetupCompleted(bool Enrolled, string Method, string Policy);
