using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Totp;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Enrollment;

/// <summary>The steps of the setup page, each bound to the setup session of one pending enrollment.</summary>
public sealed class SetupService(
    SetupSessions sessions,
    Tables tables,
    KeyRing keys,
    TotpFactor totp,
    TextingService texting,
    AuditTrimHandler auditTrim,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<VerificationOptions> verification,
    ILogger<SetupService> logger)
{
    public async Task<Result<SetupState>> GetAsync(string? session, CancellationToken cancellationToken)
    {
        var target = SetupTarget.Session(session);
        var loaded = await sessions.LoadAsync(target, cancellationToken).ConfigureAwait(false);
        if (!loaded.Succeeded)
        {
            return loaded.Failure!;
        }

        var e = loaded.Value!;
        return new SetupState(e.Status, e.PhoneMasked, Methods.All, Policies.All, e.ExpiresAt, e.Method, e.RequestedPolicy);
    }

    /// <summary>Chooses the authenticator app: a fresh 160-bit seed each time until a code proves one works.</summary>
    public Task<Result<AuthenticatorSetup>> BeginAuthenticatorAsync(string? session, CancellationToken cancellationToken)
        => sessions.ChangeAsync<AuthenticatorSetup>(SetupTarget.Session(session), async (e, _) =>
        {
            if (e.Status == EnrollmentStatus.Verified)
            {
                return new(AlreadyVerified(), false);
            }

            var seed = TotpFactor.NewSeed();
            var secret = Randomness.Base32(seed);
            e.Method = Methods.Authenticator;
            e.SeedCipher = await keys.EncryptAsync(secret, SeedContext(e.PartitionKey), cancellationToken).ConfigureAwait(false);
            e.SmsCodeHash = e.SmsCodeSalt = null;
            var label = "ending " + (e.PhoneMasked is { Length: >= 4 } masked ? masked[^4..] : "phone");
            var uri = TotpFactor.OtpauthUri(service.Value.Issuer, label, secret);
            return new(new AuthenticatorSetup(secret, uri, QrCodes.Svg(uri)), true);
        }, cancellationToken);

    /// <summary>Chooses codes by text and texts one. Resends wait out a cooldown and never reset the attempt count.</summary>
    public Task<Result<DateTimeOffset>> SendCodeAsync(string? session, CancellationToken cancellationToken)
        => SendCodeAsync(SetupTarget.Session(session), cancellationToken);

    /// <inheritdoc cref="SendCodeAsync(string?, CancellationToken)"/>
    public async Task<Result<DateTimeOffset>> SendCodeAsync(SetupTarget target, CancellationToken cancellationToken)
    {
        var code = Randomness.Digits(Codes.SmsDigits);
        var salt = Randomness.Token(8);
        var hash = await keys.CodeHashAsync(salt, code, cancellationToken).ConfigureAwait(false);
        string? phoneCipher = null, phoneKey = null, locale = null, userKey = null, enrollmentId = null;
        DateTimeOffset sentAt = default;
        var reserved = await sessions.ChangeAsync<DateTimeOffset>(target, (e, now) =>
        {
            if (e.Status == EnrollmentStatus.Verified)
            {
                return Task.FromResult(new SetupSessions.Change<DateTimeOffset>(AlreadyVerified(), false));
            }

            if (e.Attempts >= verification.Value.MaxAttempts)
            {
                return Task.FromResult(new SetupSessions.Change<DateTimeOffset>(Locked(), false));
            }

            if (e.SmsCodeSentAt is { } last && last + verification.Value.ResendCooldown > now)
            {
                var wait = last + verification.Value.ResendCooldown - now;
                return Task.FromResult(new SetupSessions.Change<DateTimeOffset>(
                    new Failure(FailureKind.RateLimited, "A code was just sent. Wait a moment before asking for another.") { RetryAfter = wait }, false));
            }

            e.Method = Methods.Sms;
            e.SeedCipher = null;
            e.SmsCodeHash = hash;
            e.SmsCodeSalt = salt;
            e.SmsCodeSentAt = sentAt = now;
            e.SmsCodeExpiresAt = now + verification.Value.CodeTtl;
            (phoneCipher, phoneKey, locale, userKey, enrollmentId) = (e.PhoneCipher, e.PhoneKey, e.Locale, e.PartitionKey, e.EnrollmentId);
            return Task.FromResult(new SetupSessions.Change<DateTimeOffset>(e.SmsCodeExpiresAt.Value, true));
        }, cancellationToken).ConfigureAwait(false);
        if (!reserved.Succeeded)
        {
            return reserved;
        }

        var phone = await keys.DecryptAsync(phoneCipher!, EnrollmentService.PhoneContext(userKey!), cancellationToken).ConfigureAwait(false);
        var body = SmsTemplates.RenderCode(SmsTemplates.SetupCode, locale, service.Value, code, (int)verification.Value.CodeTtl.TotalMinutes);
        var sent = await texting.SendAsync(phone, phoneKey!, userKey, body, SmsTemplates.SetupCode, MessageTarget.Enrollment(userKey!, enrollmentId!), cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            // The code never left: withdraw it, so the person may ask again without waiting out the cooldown.
            await sessions.ChangeAsync<bool>(target, (e, _) =>
            {
                var ours = e.SmsCodeHash == hash;
                if (ours)
                {
                    e.SmsCodeHash = e.SmsCodeSalt = null;
                    e.SmsCodeSentAt = e.SmsCodeExpiresAt = null;
                }

                return Task.FromResult(new SetupSessions.Change<bool>(ours, ours));
            }, cancellationToken).ConfigureAwait(false);
            return sent.Failure!;
        }

        logger.LogInformation("Setup code texted for {UserKey} at {SentAt}", userKey, sentAt);
        return reserved;
    }

    /// <summary>Checks the code for the chosen method; on success returns the emergency codes, shown this once.</summary>
    public Task<Result<IReadOnlyList<string>>> VerifyAsync(string? session, string? input, CancellationToken cancellationToken)
        => VerifyAsync(SetupTarget.Session(session), input, cancellationToken);

    /// <inheritdoc cref="VerifyAsync(string?, string?, CancellationToken)"/>
    public async Task<Result<IReadOnlyList<string>>> VerifyAsync(SetupTarget target, string? input, CancellationToken cancellationToken)
    {
        var code = Codes.NormalizeDigits(input);
        if (code is null)
        {
            return Failure.Invalid("code", "Enter the 6-digit code.");
        }

        var emergency = EmergencyCodes.Generate();
        var hashed = new List<string>(emergency.Count);
        foreach (var ec in emergency)
        {
            var salt = Randomness.Token(8);
            hashed.Add(salt + ":" + await keys.CodeHashAsync(salt, ec, cancellationToken).ConfigureAwait(false));
        }

        return await sessions.ChangeAsync<IReadOnlyList<string>>(target, async (e, now) =>
        {
            if (e.Status == EnrollmentStatus.Verified)
            {
                return new(AlreadyVerified(), false);
            }

            if (e.Attempts >= verification.Value.MaxAttempts)
            {
                return new(Locked(), false);
            }

            var accepted = e.Method switch
            {
                Methods.Authenticator when e.SeedCipher is not null => await CheckTotpAsync(e, code, cancellationToken).ConfigureAwait(false),
                Methods.Sms when e.SmsCodeHash is not null => await CheckSmsAsync(e, code, now, cancellationToken).ConfigureAwait(false),
                _ => new Failure(FailureKind.Conflict, "Choose an authenticator app or codes by text first."),
            };
            if (accepted.Failure is { Kind: FailureKind.Gone or FailureKind.Conflict })
            {
                return new(accepted.Failure, false);
            }

            if (!accepted.Succeeded)
            {
                e.Attempts++;
                var left = Math.Max(0, verification.Value.MaxAttempts - e.Attempts);
                logger.LogWarning("Wrong setup code for {UserKey}; {AttemptsLeft} attempts left", e.PartitionKey, left);
                return new(left == 0 ? Locked() : new Failure(FailureKind.WrongCode, "That code is not right. Check it and try again.") { AttemptsLeft = left }, true);
            }

            e.Status = EnrollmentStatus.Verified;
            e.SmsCodeHash = e.SmsCodeSalt = null;
            e.EmergencyCodeHashes = JsonSerializer.Serialize(hashed);
            return new(new Result<IReadOnlyList<string>>(emergency), true);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes: the profile, the emergency codes and the end of the enrollment are written in one transaction.</summary>
    public Task<Result<SetupCompleted>> CompleteAsync(string? session, string? policy, bool? acknowledged, CancellationToken cancellationToken)
        => CompleteAsync(SetupTarget.Session(session), policy, acknowledged, cancellationToken);

    /// <inheritdoc cref="CompleteAsync(string?, string?, bool?, CancellationToken)"/>
    public async Task<Result<SetupCompleted>> CompleteAsync(SetupTarget target, string? policy, bool? acknowledged, CancellationToken cancellationToken)
    {
        if (!Policies.IsValid(policy))
        {
            return Failure.Invalid("policy", $"Choose \"{Policies.EveryLogin}\" or \"{Policies.OncePerComputer}\".");
        }

        if (acknowledged != true)
        {
            return Failure.Invalid("acknowledged", "Confirm that you have saved your emergency code (acknowledged: true).");
        }

        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var loaded = await sessions.LoadAsync(target, cancellationToken).ConfigureAwait(false);
            if (!loaded.Succeeded)
            {
                return loaded.Failure!;
            }

            var e = loaded.Value!;
            if (e.Status != EnrollmentStatus.Verified)
            {
                return new Failure(FailureKind.Conflict, "Prove your authenticator app or phone works with a code before finishing.");
            }

            var actions = await FactorReplacement.ActionsAsync(users, e, policy!, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (attempt == 0)
            {
                // The audit trail starts with this enrollment's event; its retention chain starts here too (index first).
                await auditTrim.ScheduleAsync(e.PartitionKey, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await users.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
            {
                continue;
            }

            logger.LogInformation("Enrollment {EnrollmentId} completed with {Method}, {Policy}", e.EnrollmentId, e.Method, policy);
            return new SetupCompleted(true, e.Method!, policy!);
        }

        return new Failure(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    internal static string SeedContext(string userKey) => "totp-seed|" + userKey;

    private async Task<Result<bool>> CheckTotpAsync(EnrollmentEntity e, string code, CancellationToken cancellationToken)
    {
        var secret = await keys.DecryptAsync(e.SeedCipher!, SeedContext(e.PartitionKey), cancellationToken).ConfigureAwait(false);
        var check = totp.Check(Base32Decode(secret), code, e.LastTotpStep);
        if (check.Outcome != TotpOutcome.Accepted)
        {
            return new Failure(FailureKind.WrongCode, "wrong");
        }

        e.LastTotpStep = check.MatchedStep;
        return true;
    }

    private async Task<Result<bool>> CheckSmsAsync(EnrollmentEntity e, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (e.SmsCodeExpiresAt <= now)
        {
            return new Failure(FailureKind.Gone, "That code has expired. Ask for a new one.");
        }

        var hash = await keys.CodeHashAsync(e.SmsCodeSalt!, code, cancellationToken).ConfigureAwait(false);
        return Hashes.Equal(hash, e.SmsCodeHash) ? true : new Failure(FailureKind.WrongCode, "wrong");
    }

    private static byte[] Base32Decode(string secret) => OtpNet.Base32Encoding.ToBytes(secret);

    private static Failure AlreadyVerified()
        => new(FailureKind.Conflict, "This setup is already verified. Save your emergency code and finish.");

    private static Failure Locked()
        => new(FailureKind.Locked, "Too many wrong codes. Ask the app to text you a new setup link.");
}
