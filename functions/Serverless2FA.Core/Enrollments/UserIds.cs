using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Enrollments;

public static class UserIds
{
    public const int MaxLength = 256;

    /// <returns>null when the relying app's user id is acceptable, else the failure to answer.</returns>
    public static Failure? Validate(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return Failure.Invalid("userId", "userId is required: the relying app's id for the person.");
        }

        if (userId.Length > MaxLength || userId.Any(char.IsControl))
        {
            return Failure.Invalid("userId", $"userId must be at most {MaxLength} printable characters.");
        }

        return null;
    }
}
