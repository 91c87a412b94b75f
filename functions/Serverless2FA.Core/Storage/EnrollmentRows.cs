using Serverless2FA.Core.Enrollments;

namespace Serverless2FA.Core.Storage;

/// <summary>Reading and saving a user's <see cref="Enrollment"/> (its row is <see cref="EnrollmentEntity"/>).</summary>
internal static class EnrollmentRows
{
    public static async Task<Enrollment?> FindEnrollmentAsync(this Tables tables, string userKey, CancellationToken cancellationToken)
        => (await tables.FindAsync<EnrollmentEntity>(Tables.Users, userKey, EnrollmentEntity.Row, cancellationToken).ConfigureAwait(false))?.ToEnrollment();

    /// <summary>
    /// Saves <paramref name="enrollment"/>: as loaded, only if nobody saved it since; a new one replaces whatever
    /// enrollment the user had (its link and session then stop working).
    /// </summary>
    public static Changes Save(this Changes changes, Enrollment enrollment, Due? due = null)
        => enrollment.Version is null
            ? changes.Upsert(EnrollmentEntity.From(enrollment), due)
            : changes.Replace(EnrollmentEntity.From(enrollment), due);
}
