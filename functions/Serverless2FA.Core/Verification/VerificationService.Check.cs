using System.Globalization;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Notices;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Verification;

public sealed partial class VerificationService
{
    /// <summary>
    /// Decides one code: a 6-digit code for the user's method, or an emergency code. Reads the verification, which
    /// must be <paramref name="userId"/>'s (else it is not found and nothing is counted), then loads the profile and
    /// checks the code against it with the factor's checker, and commits the verdict with one transaction in the
    /// user's partition guarded by the profile's ETag; on conflict it loads and decides again on what won, so a time
    /// step, a texted code, an emergency code and the verification itself each pass once.
    /// </summary>
    public async Task<Result<CheckOutcome>> CheckAsync(string? verificationId, string? userId, string? input, bool rememberDevice, CancellationToken cancellationToken)
    {
        if (UserIds.Validate(userId) is { } invalid)
        {
            return invalid;
        }

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

        var userKey = await userKeys.ForUserAsync(userId!, cancellationToken).ConfigureAwait(false);
        var verification = await tables.FindAsync<VerificationEntity>(Tables.Verifications, verificationId!, VerificationEntity.Row, cancellationToken).ConfigureAwait(false);
        // Another user's verification is as good as none: a relying app cannot be swapped into approving it.
        if (verification is null || !string.Equals(verification.UserKey, userKey, StringComparison.Ordinal))
        {
            return NotFound();
        }

        // Drawn once: the decision itself takes nothing from chance.
        var deviceToken = rememberDevice ? DeviceTokens.NewToken() : null;
        string? seed = null;
        Loaded? decidedOn = null;
        var outcome = await optimistic.ChangeAsync(
            async ct =>
            {
                var profile = await tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, ct).ConfigureAwait(false);
                // The approval row is there only if it approved, which it can only have done if any approval came
                // since it started: the usual check (right after its start) reads nothing more.
                var approval = profile is not null && profile.Approvals != verification.ApprovalsAtStart
                    ? await tables.FindAsync<ApprovalEntity>(Tables.Users, userKey, ApprovalEntity.RowKeyOf(verification.PartitionKey), ct).ConfigureAwait(false)
                    : null;
                if (approval is not null || profile is not { Enrolled: true } || profile.EnrollmentId != verification.EnrollmentId)
                {
                    return new Loaded(profile, approval, default, [], []);
                }

                var (verdict, codes) = await CheckCodeAsync(profile, verification, digits, emergency, ct).ConfigureAwait(false);
                var devices = verdict.Accepted && deviceToken is not null && profile.Policy == Policies.OncePerComputer
                    ? await tables.QueryAsync<DeviceEntity>(Tables.Users, RowRange.Prefix(profile.PartitionKey, DeviceEntity.RowPrefix), cancellationToken: ct).ToListAsync(ct).ConfigureAwait(false)
                    : [];
                return new Loaded(profile, approval, verdict, codes, devices);
            },
            (loaded, now) =>
            {
                decidedOn = loaded;
                return Decide(verification, loaded, deviceToken, now);
            },
            cancellationToken).ConfigureAwait(false);
        Log(verification, outcome);
        await NotifyAsync(decidedOn, outcome, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded && outcome.Value.Status == VerificationStatus.Approved ? outcome.Value with { UserId = userId } : outcome;

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

        if (loaded.Approval is null && (loaded.Profile is not { Enrolled: true } || loaded.Profile.EnrollmentId != verification.EnrollmentId))
        {
            return new Failure(FailureKind.Gone, "Two-factor authentication changed for this user since this verification started. Start a new one.");
        }

        // For ever: the approval row stays as long as the verification could be used.
        if (loaded.Approval is not null)
        {
            return new Failure(FailureKind.Gone, "This verification was already approved. Start a new one to sign in again.");
        }

        var profile = loaded.Profile!;

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
        else if (verification.Method != Methods.Sms)
        {
            profile.LastTotpStep = loaded.Verdict.TotpStep;
        }

        if (profile.SmsVerificationId == verification.PartitionKey)
        {
            // Its texted code is settled (by itself or an emergency code): the next log-in texts at once.
            profile.SmsVerificationId = null;
        }

        FactorLock.RecordSuccess(profile);
        profile.Approvals++;
        // Inserted once: of two approvals racing, the second one's transaction fails and decides again on it.
        changes.Add(new ApprovalEntity
        {
            PartitionKey = profile.PartitionKey,
            RowKey = ApprovalEntity.RowKeyOf(verification.PartitionKey),
            EnrollmentId = profile.EnrollmentId,
            ApprovedAt = now,
            KeepUntil = Max(verification.ExpiresAt, now + enrollment.Value.StepUpTtl),
        });
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

        return new CheckOutcome(VerificationStatus.Approved, DeviceToken: remembered, UsedEmergencyCode: match is null ? null : true, EmergencyCodesLeft: match?.Left)
        {
            VerificationId = verification.PartitionKey,
            Method = verification.Method,
        };
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

    /// <summary>After the verdict is committed: an emergency code used, or a factor now locked until reset, is told to the phone.</summary>
    private Task NotifyAsync(Loaded? decided, Result<CheckOutcome> outcome, CancellationToken cancellationToken)
    {
        var profile = decided?.Profile;
        if (outcome is { Succeeded: true, Value.UsedEmergencyCode: true })
        {
            return notices.SendAsync(NoticeRecipient.Of(profile), SmsTemplates.NoticeEmergencyCodeUsed, outcome.Value.EmergencyCodesLeft, cancellationToken);
        }

        // Told once: when this wrong code hard-locked it, not when a factor locked already is refused.
        return outcome.Failure is { Kind: FailureKind.Locked } && profile is { HardLocked: true } && !decided!.WasHardLocked
            ? notices.SendAsync(NoticeRecipient.Of(profile), SmsTemplates.NoticeHardLocked, null, cancellationToken)
            : Task.CompletedTask;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static Failure NotFound() => new(FailureKind.NotFound, "There is no verification with this id.");

    private static Failure Expired() => new(FailureKind.Gone, "This verification has expired. Start a new one.");

    private static Failure VerificationLocked()
        => new(FailureKind.Locked, "Too many wrong codes for this verification. Start a new one.") { AttemptsLeft = 0 };

    /// <summary>What the code came to against the loaded profile, before any rule of the verification is applied.</summary>
    private readonly record struct Verdict(bool Accepted, EmergencyCodeMatch? EmergencyCode = null, long TotpStep = 0, bool Superseded = false);

    private sealed record Loaded(UserProfileEntity? Profile, ApprovalEntity? Approval, Verdict Verdict, List<EmergencyCodeEntity> EmergencyCodes, List<DeviceEntity> Devices)
    {
        /// <summary>As loaded, before the decision counted a wrong code on it.</summary>
        public bool WasHardLocked { get; } = Profile?.HardLocked == true;
    }
}
