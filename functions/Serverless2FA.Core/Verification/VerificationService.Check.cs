using System.Globalization;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Verification;

public sealed partial class VerificationService
{
    private const int ApprovedKept = 10;

    /// <summary>
    /// Decides one code: a 6-digit code for the user's method, or an emergency code. Reads the verification, then
    /// loads the profile and checks the code against it with the factor's checker, and commits the verdict with one
    /// transaction in the user's partition guarded by the profile's ETag; on conflict it loads and decides again on
    /// what won, so a time step, a texted code and an emergency code each pass once.
    /// </summary>
    public async Task<Result<CheckOutcome>> CheckAsync(string? verificationId, string? input, bool rememberDevice, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(verificationId))
        {
            return NotFound();
        }

        var digits = Codes.NormalizeDigits(input);
        var emergency = digits is null ? EmergencyCodes.Normalize(input) : null;
        if (digits is null && emergency is null)
        {
            return Failure.Invalid("code", "Enter the 6-digit code, or one of the emergency codes.");
        }

        var verification = await tables.FindAsync<VerificationEntity>(Tables.Verifications, verificationId!, VerificationEntity.Row, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            return NotFound();
        }

        // Drawn once: the decision itself takes nothing from chance.
        var deviceToken = rememberDevice ? DeviceTokens.NewToken() : null;
        string? seed = null;
        var outcome = await optimistic.ChangeAsync(
            async ct =>
            {
                var profile = await tables.FindAsync<UserProfileEntity>(Tables.Users, verification.UserKey, UserProfileEntity.Row, ct).ConfigureAwait(false);
                if (profile is not { Enrolled: true } || profile.EnrollmentId != verification.EnrollmentId)
                {
                    return new Loaded(profile, default, [], []);
                }

                var (verdict, codes) = await CheckCodeAsync(profile, verification, digits, emergency, ct).ConfigureAwait(false);
                var devices = verdict.Accepted && deviceToken is not null && profile.Policy == Policies.OncePerComputer
                    ? await tables.QueryAsync<DeviceEntity>(Tables.Users, RowRange.Prefix(profile.PartitionKey, DeviceEntity.RowPrefix), cancellationToken: ct).ToListAsync(ct).ConfigureAwait(false)
                    : [];
                return new Loaded(profile, verdict, codes, devices);
            },
            (loaded, now) => Decide(verification, loaded, deviceToken, now),
            cancellationToken).ConfigureAwait(false);
        Log(verification, outcome);
        return outcome;

        async Task<(Verdict, List<EmergencyCodeEntity>)> CheckCodeAsync(UserProfileEntity profile, VerificationEntity v, string? sixDigits, string? emergencyCode, CancellationToken ct)
        {
            if (emergencyCode is not null)
            {
                var rows = await tables.QueryAsync<EmergencyCodeEntity>(Tables.Users, RowRange.Prefix(profile.PartitionKey, EmergencyCodeEntity.RowPrefix), cancellationToken: ct).ToListAsync(ct).ConfigureAwait(false);
                var match = await emergencyCodes.RedeemAsync([.. rows.Select(r => r.ToStored())], emergencyCode, ct).ConfigureAwait(false);
                return (new Verdict(match is not null, EmergencyCode: match), rows);
            }

            if (v.Method == Methods.Sms)
            {
                if (profile.SmsVerificationId != v.PartitionKey || v.SmsCodeHash is null)
                {
                    return (new Verdict(false, Superseded: true), []);
                }

                var stored = new StoredTextedCode(v.SmsCodeSalt!, v.SmsCodeHash, v.ExpiresAt);
                var check = await textedCodes.CheckAsync(stored, sixDigits!, time.GetUtcNow(), VerificationRules.AttemptsLeft(profile, v, options.Value), ct).ConfigureAwait(false);
                return (new Verdict(check.Outcome == TextedCodeOutcome.Accepted), []);
            }

            seed ??= await keys.DecryptAsync(profile.TotpSeedCipher!, TotpFactor.SeedContext(profile.PartitionKey), ct).ConfigureAwait(false);
            // A replayed step is refused like a wrong code: each step passes once per user.
            var totpCheck = totp.Check(seed, sixDigits!, profile.LastTotpStep);
            return (new Verdict(totpCheck.Outcome == TotpOutcome.Accepted, TotpStep: totpCheck.MatchedStep), []);
        }
    }

    /// <summary>The verdict on the loaded profile, and what must be written for it to hold.</summary>
    private Decision<CheckOutcome> Decide(VerificationEntity verification, Loaded loaded, string? deviceToken, DateTimeOffset now)
    {
        // Expiry holds on use, whether or not the sweep has run.
        if (VerificationRules.IsExpired(verification, now))
        {
            return Expired();
        }

        if (loaded.Profile is not { Enrolled: true } profile || profile.EnrollmentId != verification.EnrollmentId)
        {
            return new Failure(FailureKind.Gone, "Two-factor authentication changed for this user since this verification started. Start a new one.");
        }

        if (IsApproved(profile, verification.PartitionKey))
        {
            return new Failure(FailureKind.Gone, "This verification was already approved. Start a new one to sign in again.");
        }

        if (FactorLock.Check(profile, now) is { } locked)
        {
            return locked;
        }

        var verificationLeft = VerificationRules.AttemptsLeft(profile, verification, options.Value);
        if (verificationLeft <= 0)
        {
            return VerificationLocked();
        }

        if (loaded.Verdict.Superseded)
        {
            return new Failure(FailureKind.Gone, "A newer code was texted since; this verification no longer works. Use the newest one.");
        }

        var changes = new Changes(Tables.Users);
        var answer = loaded.Verdict.Accepted
            ? Approve(profile, verification, loaded, deviceToken, now, changes)
            : Deny(profile, verification, now, verificationLeft, changes);
        return new Decision<CheckOutcome>(answer, changes.Replace(profile));
    }

    private CheckOutcome Approve(UserProfileEntity profile, VerificationEntity verification, Loaded loaded, string? deviceToken, DateTimeOffset now, Changes changes)
    {
        var match = loaded.Verdict.EmergencyCode;
        if (match is { } used)
        {
            // Deleted with its ETag: of two checks racing with one code, one commit fails and decides again without it.
            changes.Delete(loaded.EmergencyCodes[used.Index])
                .Emit(profile.PartitionKey, profile.UserIdCipher, EventDrafts.EmergencyCodeUsed(now, used.Left));
        }
        else if (verification.Method == Methods.Sms)
        {
            profile.SmsVerificationId = null;
        }
        else
        {
            profile.LastTotpStep = loaded.Verdict.TotpStep;
        }

        FactorLock.RecordSuccess(profile);
        profile.ApprovedVerifications = string.Join(' ', (profile.ApprovedVerifications ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(ApprovedKept - 1).Append(verification.PartitionKey));
        changes.Add(AuditEntity.Create(profile.PartitionKey, now, match is null ? AuditEvents.Verified : AuditEvents.EmergencyCodeUsed, verification.Method,
            match is { } m ? "codes left " + m.Left : null));

        var remembered = deviceToken is not null && profile.Policy == Policies.OncePerComputer ? deviceToken : null;
        if (remembered is not null)
        {
            foreach (var old in DeviceTokens.ToDrop(loaded.Devices, now, options.Value.MaxDevices))
            {
                changes.DeleteAny(old.PartitionKey, old.RowKey);
            }

            changes.Add(new DeviceEntity
            {
                PartitionKey = profile.PartitionKey,
                RowKey = DeviceTokens.RowKeyOf(remembered),
                CreatedAt = now,
                ExpiresAt = now + options.Value.DeviceTtl,
            });
            changes.Add(AuditEntity.Create(profile.PartitionKey, now, AuditEvents.DeviceRemembered));
        }

        return new CheckOutcome(VerificationStatus.Approved, DeviceToken: remembered, UsedEmergencyCode: match is null ? null : true, EmergencyCodesLeft: match?.Left);
    }

    private Result<CheckOutcome> Deny(UserProfileEntity profile, VerificationEntity verification, DateTimeOffset now, int verificationLeft, Changes changes)
    {
        var lockedNow = FactorLock.RecordFailure(profile, now, options.Value);
        var left = Math.Min(verificationLeft - 1, lockedNow ? 0 : FactorLock.AttemptsLeft(profile, options.Value));
        changes.Add(AuditEntity.Create(profile.PartitionKey, now, lockedNow ? AuditEvents.Locked : AuditEvents.Denied, verification.Method,
            lockedNow ? (profile.HardLocked ? "until reset" : "until " + profile.LockedUntil!.Value.ToString("O", CultureInfo.InvariantCulture)) : "attempts left " + left));
        if (lockedNow)
        {
            changes.Emit(profile.PartitionKey, profile.UserIdCipher, EventDrafts.FactorLocked(now, profile.HardLocked ? null : profile.LockedUntil));
            return FactorLock.Check(profile, now)!;
        }

        return left <= 0 ? VerificationLocked() : new CheckOutcome(VerificationStatus.Denied, AttemptsLeft: left);
    }

    private void Log(VerificationEntity verification, Result<CheckOutcome> outcome)
    {
        if (outcome.Succeeded && outcome.Value.Status == VerificationStatus.Approved)
        {
            logger.LogInformation("Verification {VerificationId} approved ({Method})", verification.PartitionKey, outcome.Value.UsedEmergencyCode == true ? "emergency code" : verification.Method);
        }
        else if (outcome.Succeeded || outcome.Failure is { Kind: FailureKind.Locked })
        {
            logger.LogWarning("Wrong code for verification {VerificationId}; {AttemptsLeft} attempts left", verification.PartitionKey, outcome.Value?.AttemptsLeft ?? 0);
        }
    }

    private static bool IsApproved(UserProfileEntity profile, string verificationId)
        => profile.ApprovedVerifications is { } approved && approved.Split(' ').Contains(verificationId, StringComparer.Ordinal);

    private static Failure NotFound() => new(FailureKind.NotFound, "There is no verification with this id.");

    private static Failure Expired() => new(FailureKind.Gone, "This verification has expired. Start a new one.");

    private static Failure VerificationLocked()
        => new(FailureKind.Locked, "Too many wrong codes for this verification. Start a new one.") { AttemptsLeft = 0 };

    /// <summary>What the code came to against the loaded profile, before any rule of the verification is applied.</summary>
    private readonly record struct Verdict(bool Accepted, EmergencyCodeMatch? EmergencyCode = null, long TotpStep = 0, bool Superseded = false);

    private sealed record Loaded(UserProfileEntity? Profile, Verdict Verdict, List<EmergencyCodeEntity> EmergencyCodes, List<DeviceEntity> Devices);
}
