using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Factors;

namespace Serverless2FA.Core.Verification;

public sealed partial class VerificationService
{
    private const int ApprovedKept = 10;

    /// <summary>
    /// Decides one code: a 6-digit code for the user's method, or an emergency code. Reads the verification and the
    /// profile, then commits the verdict with one transaction in the user's partition guarded by the profile's ETag;
    /// on conflict it decides again on what won, so a time step, a texted code and an emergency code each pass once.
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

        var verifications = await tables.GetAsync(Tables.Verifications, cancellationToken).ConfigureAwait(false);
        var found = await verifications.GetEntityIfExistsAsync<VerificationEntity>(verificationId!, VerificationEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return NotFound();
        }

        var verification = found.Value!;
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        byte[]? seed = null;
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            // Expiry holds on use, whether or not the sweep has run.
            var now = time.GetUtcNow();
            if (VerificationRules.IsExpired(verification, now))
            {
                return Expired();
            }

            var read = await users.GetEntityIfExistsAsync<UserProfileEntity>(verification.UserKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!read.HasValue || read.Value is not { Enrolled: true } profile || profile.EnrollmentId != verification.EnrollmentId)
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

            var actions = new List<TableTransactionAction>();
            Result<Approval> decided;
            if (emergency is not null)
            {
                decided = await CheckEmergencyCodeAsync(users, profile, emergency, actions, cancellationToken).ConfigureAwait(false);
            }
            else if (verification.Method == Methods.Sms)
            {
                decided = await CheckTextedCodeAsync(profile, verification, digits!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                seed ??= Base32(await keys.DecryptAsync(profile.TotpSeedCipher!, SetupService.SeedContext(profile.PartitionKey), cancellationToken).ConfigureAwait(false));
                decided = CheckTotp(profile, seed, digits!);
            }

            if (decided.Failure is { Kind: not FailureKind.WrongCode } final)
            {
                return final;
            }

            var outcome = decided.Succeeded
                ? await ApproveAsync(users, profile, verification, decided.Value, rememberDevice, now, actions, cancellationToken).ConfigureAwait(false)
                : Deny(profile, verification, now, verificationLeft, actions);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, profile, profile.ETag));
            try
            {
                await users.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
            {
                // Another check (or a start, or the relying app) changed the profile first: decide again on what it wrote.
                continue;
            }

            Log(verification, outcome);
            return outcome;
        }

        return Busy();
    }

    private static Result<Approval> CheckTotp(UserProfileEntity profile, byte[] seed, string code, TotpFactor factor)
    {
        var check = factor.Check(seed, code, profile.LastTotpStep);
        if (check.Outcome != TotpOutcome.Accepted)
        {
            // A replayed step is refused and counted like a wrong code: each step passes once per user.
            return WrongCode();
        }

        profile.LastTotpStep = check.MatchedStep;
        return new Approval(null, null);
    }

    private Result<Approval> CheckTotp(UserProfileEntity profile, byte[] seed, string code) => CheckTotp(profile, seed, code, totp);

    private async Task<Result<Approval>> CheckTextedCodeAsync(UserProfileEntity profile, VerificationEntity verification, string code, CancellationToken cancellationToken)
    {
        if (profile.SmsVerificationId != verification.PartitionKey || verification.SmsCodeHash is null)
        {
            return new Failure(FailureKind.Gone, "A newer code was texted since; this verification no longer works. Use the newest one.");
        }

        var hash = await keys.CodeHashAsync(verification.SmsCodeSalt!, code, cancellationToken).ConfigureAwait(false);
        if (!Hashes.Equal(hash, verification.SmsCodeHash))
        {
            return WrongCode();
        }

        profile.SmsVerificationId = null;
        return new Approval(null, null);
    }

    /// <summary>Compares with every stored code (salted, keyed hashes, constant time); a match is deleted with its ETag in the commit.</summary>
    private async Task<Result<Approval>> CheckEmergencyCodeAsync(TableClient users, UserProfileEntity profile, string code, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        EmergencyCodeEntity? match = null;
        var count = 0;
        await foreach (var row in users.QueryAsync<EmergencyCodeEntity>(RowRange.Prefix(profile.PartitionKey, EmergencyCodeEntity.RowPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
            var hash = await keys.CodeHashAsync(row.Salt, code, cancellationToken).ConfigureAwait(false);
            if (Hashes.Equal(hash, row.Hash))
            {
                match = row;
            }
        }

        if (match is null)
        {
            return WrongCode();
        }

        actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, match, match.ETag));
        return new Approval(true, count - 1);
    }

    private async Task<CheckOutcome> ApproveAsync(
        TableClient users, UserProfileEntity profile, VerificationEntity verification, Approval approval, bool rememberDevice, DateTimeOffset now, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        FactorLock.RecordSuccess(profile);
        profile.ApprovedVerifications = string.Join(' ', (profile.ApprovedVerifications ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(ApprovedKept - 1).Append(verification.PartitionKey));
        actions.Add(Audit(profile, now, approval.UsedEmergencyCode == true ? AuditEvents.EmergencyCodeUsed : AuditEvents.Verified, verification.Method,
            approval.UsedEmergencyCode == true ? "codes left " + approval.EmergencyCodesLeft : null));

        string? deviceToken = null;
        if (rememberDevice && profile.Policy == Policies.OncePerComputer)
        {
            deviceToken = DeviceTokens.NewToken();
            var existing = new List<DeviceEntity>();
            await foreach (var row in users.QueryAsync<DeviceEntity>(RowRange.Prefix(profile.PartitionKey, DeviceEntity.RowPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                existing.Add(row);
            }

            foreach (var old in DeviceTokens.ToDrop(existing, now, options.Value.MaxDevices))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, old));
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new DeviceEntity
            {
                PartitionKey = profile.PartitionKey,
                RowKey = DeviceTokens.RowKeyOf(deviceToken),
                CreatedAt = now,
                ExpiresAt = now + options.Value.DeviceTtl,
            }));
            actions.Add(Audit(profile, now, AuditEvents.DeviceRemembered, null, null));
        }

        return new CheckOutcome(VerificationStatus.Approved, DeviceToken: deviceToken, UsedEmergencyCode: approval.UsedEmergencyCode, EmergencyCodesLeft: approval.EmergencyCodesLeft);
    }

    private Result<CheckOutcome> Deny(UserProfileEntity profile, VerificationEntity verification, DateTimeOffset now, int verificationLeft, List<TableTransactionAction> actions)
    {
        var lockedNow = FactorLock.RecordFailure(profile, now, options.Value);
        var left = Math.Min(verificationLeft - 1, lockedNow ? 0 : FactorLock.AttemptsLeft(profile, options.Value));
        actions.Add(Audit(profile, now, lockedNow ? AuditEvents.Locked : AuditEvents.Denied, verification.Method,
            lockedNow ? (profile.HardLocked ? "until reset" : "until " + profile.LockedUntil!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) : "attempts left " + left));
        if (lockedNow)
        {
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
        else
        {
            logger.LogWarning("Wrong code for verification {VerificationId}; {AttemptsLeft} attempts left", verification.PartitionKey, outcome.Value?.AttemptsLeft ?? 0);
        }
    }

    private static bool IsApproved(UserProfileEntity profile, string verificationId)
        => profile.ApprovedVerifications is { } approved && approved.Split(' ').Contains(verificationId, StringComparer.Ordinal);

    private static TableTransactionAction Audit(UserProfileEntity profile, DateTimeOffset now, string auditEvent, string? method, string? detail)
        => new(TableTransactionActionType.Add, AuditEntity.Create(profile.PartitionKey, now, auditEvent, method, detail));

    private static byte[] Base32(string secret) => OtpNet.Base32Encoding.ToBytes(secret);

    private static Failure WrongCode() => new(FailureKind.WrongCode, "That code is not right.");

    private static Failure NotFound() => new(FailureKind.NotFound, "There is no verification with this id.");

    private static Failure Expired() => new(FailureKind.Gone, "This verification has expired. Start a new one.");

    private static Failure VerificationLocked()
        => new(FailureKind.Locked, "Too many wrong codes for this verification. Start a new one.") { AttemptsLeft = 0 };

    private readonly record struct Approval(bool? UsedEmergencyCode, int? EmergencyCodesLeft);
}
