using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Admits a new enrollment (by link or by text) for a user. A user who is enrolled already may only replace the
/// factor with a step-up: a verification of that user, approved under the current factor within
/// <see cref="EnrollmentOptions.StepUpTtl"/>, not used as a step-up before. It is used up in the same transaction
/// that saves the enrollment, with the approval row's ETag, so of parallel starts with one step-up exactly one proceeds.
/// </summary>
public sealed class StepUps(Tables tables, Optimistic optimistic, IOptions<EnrollmentOptions> options)
{
    /// <summary>Saves <paramref name="enrollment"/> (replacing any pending one) if the user may start it; else why not.</summary>
    internal Task<Result<bool>> SaveNewAsync(Enrollment enrollment, string? stepUp, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            async ct =>
            {
                var reading = tables.FindAsync<UserProfileEntity>(Tables.Users, enrollment.UserKey, UserProfileEntity.Row, ct);
                var approval = VerificationService.IsWellFormedId(stepUp)
                    ? await tables.FindAsync<ApprovalEntity>(Tables.Users, enrollment.UserKey, ApprovalEntity.RowKeyOf(stepUp!), ct).ConfigureAwait(false)
                    : null;
                return (Profile: await reading.ConfigureAwait(false), Approval: approval);
            },
            (loaded, now) =>
            {
                var changes = new Changes(Tables.Users);
                if (loaded.Profile is { Enrolled: true } profile)
                {
                    if (stepUp is null)
                    {
                        return AlreadyEnrolled();
                    }

                    if (Refuse(loaded.Approval, profile, now) is { } refused)
                    {
                        return refused;
                    }

                    loaded.Approval!.StepUpUsedAt = now;
                    // The profile is held too: a check or another replacement meanwhile means deciding again.
                    changes.Replace(loaded.Approval).Unchanged(profile);
                }

                enrollment.Admit(loaded.Profile is { Enrolled: true } enrolled ? enrolled.EnrollmentId : null);
                return new Decision<bool>(true, changes.Save(enrollment, new Due(Expiry.ExpiryKinds.Enrollment, enrollment.ExpiresAt)));
            },
            cancellationToken);

    private Failure? Refuse(ApprovalEntity? approval, UserProfileEntity profile, DateTimeOffset now)
    {
        // Unknown, another user's (not in this partition), not approved: no row. Then stale, used, or of a factor since replaced.
        if (approval is null || approval.StepUpUsedAt is not null || approval.ApprovedAt + options.Value.StepUpTtl <= now || approval.EnrollmentId != profile.EnrollmentId)
        {
            return new Failure(FailureKind.Forbidden, "This step-up is not valid: it must be a verification of this user, approved in the last minutes and not used for a step-up before. Ask the person for a new code.")
            {
                Code = "step-up-invalid",
            };
        }

        return null;
    }

    private static Failure AlreadyEnrolled()
        => new(FailureKind.Conflict, "This user has two-factor authentication on already. To replace it (a new phone or method), verify a code first and pass its verificationId as stepUp.")
        {
            Code = "already-enrolled",
        };
}
