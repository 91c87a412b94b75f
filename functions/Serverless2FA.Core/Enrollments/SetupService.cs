using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Notices;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Sms.Budgets;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Enrollments;

/// <summary>The steps of the setup page (and of the SMS bot), each a move of the one pending enrollment they are bound to.</summary>
public sealed class SetupService(
    SetupSessions sessions,
    Tables tables,
    KeyRing keys,
    TotpFactor totp,
    TextedCodeFactor textedCodes,
    EmergencyCodeFactor emergencyCodes,
    TextingService texting,
    PumpingGuard pumping,
    NoticeSender notices,
    AuditTrimHandler auditTrim,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<VerificationOptions> verification,
    ILogger<SetupService> logger)
{
    public async Task<Result<SetupState>> GetAsync(string? session, CancellationToken cancellationToken)
    {
        var loaded = await sessions.LoadAsync(SetupTarget.Session(session), cancellationToken).ConfigureAwait(false);
        if (!loaded.Succeeded)
        {
            return loaded.Failure;
        }

        var e = loaded.Value;
        // A policy the relying app fixed is the only one offered: the page shows it as decided.
        var policies = e.RequestedPolicy is { } fixedPolicy ? [fixedPolicy] : Policies.All;
        return new SetupState(e.Status.ToWire(), e.PhoneMasked, Methods.All, policies, e.ExpiresAt, e.Method, e.RequestedPolicy);
    }

    /// <summary>Chooses the authenticator app: a fresh 160-bit seed each time until a code proves one works.</summary>
    public Task<Result<AuthenticatorSetup>> BeginAuthenticatorAsync(string? session, CancellationToken cancellationToken)
        => sessions.ChangeAsync(
            SetupTarget.Session(session),
            async (e, ct) =>
            {
                var secret = Randomness.Base32(TotpFactor.NewSeed());
                return (Secret: secret, Cipher: await keys.EncryptAsync(secret, TotpFactor.SeedContext(e.UserKey), ct).ConfigureAwait(false));
            },
            (e, seed, _) =>
            {
                if (e.ChooseAuthenticator(seed.Cipher) is { } refused)
                {
                    return refused;
                }

                var label = "ending " + (e.PhoneMasked is { Length: >= 4 } masked ? masked[^4..] : "phone");
                var uri = TotpFactor.OtpauthUri(service.Value.Issuer, label, seed.Secret);
                return SetupSessions.Save<AuthenticatorSetup>(new AuthenticatorSetup(seed.Secret, uri, QrCodes.Svg(uri)), e);
            },
            cancellationToken);

    /// <summary>Chooses codes by text and texts one. Resends wait out a cooldown and never reset the attempt count.</summary>
    public Task<Result<DateTimeOffset>> SendCodeAsync(string? session, CancellationToken cancellationToken)
        => SendCodeAsync(SetupTarget.Session(session), cancellationToken);

    /// <inheritdoc cref="SendCodeAsync(string?, CancellationToken)"/>
    public async Task<Result<DateTimeOffset>> SendCodeAsync(SetupTarget target, CancellationToken cancellationToken)
    {
        var code = await textedCodes.IssueAsync(default, cancellationToken).ConfigureAwait(false);
        var reserved = await sessions.ChangeAsync<(DateTimeOffset ExpiresAt, Enrollment Enrollment)>(target, (e, now) =>
        {
            var stored = code.Stored with { ExpiresAt = now + verification.Value.CodeTtl };
            return e.ChooseTexts(stored, now, verification.Value.MaxAttempts, verification.Value.ResendCooldown) is { } refused
                ? refused
                : SetupSessions.Save<(DateTimeOffset, Enrollment)>((stored.ExpiresAt, e), e);
        }, cancellationToken).ConfigureAwait(false);
        if (!reserved.Succeeded)
        {
            return reserved.Failure;
        }

        var (expiresAt, enrollment) = reserved.Value;
        var phone = await keys.DecryptAsync(enrollment.PhoneCipher!, EnrollmentService.PhoneContext(enrollment.UserKey), cancellationToken).ConfigureAwait(false);
        var body = SmsTemplates.RenderCode(SmsTemplates.SetupCode, enrollment.Locale, service.Value, code.Code, (int)verification.Value.CodeTtl.TotalMinutes);
        var sent = await texting.SendAsync(phone, enrollment.PhoneKey!, enrollment.UserKey, body, SmsTemplates.SetupCode, MessageTarget.Enrollment(enrollment.UserKey, enrollment.Id), cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            // The code never left: withdraw it, so the person may ask again without waiting out the cooldown.
            await sessions.ChangeAsync(target, (e, _) => e.WithdrawCode(code.Stored.Hash) ? SetupSessions.Save<bool>(true, e) : new Decision<bool>(false), cancellationToken).ConfigureAwait(false);
            return sent.Failure;
        }

        logger.LogInformation("Setup code texted for {UserKey} at {SentAt}", enrollment.UserKey, enrollment.SmsCodeSentAt);
        return expiresAt;
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

        var max = verification.Value.MaxAttempts;
        var issued = await emergencyCodes.IssueAsync(cancellationToken).ConfigureAwait(false);
        var verified = await sessions.ChangeAsync(
            target,
            (e, ct) => CheckCodeAsync(e, code, ct),
            (e, check, _) =>
            {
                if (e.RefuseCode(max) is { } refused)
                {
                    return refused;
                }

                switch (check.Outcome)
                {
                    case CodeCheck.NoMethod:
                        return new Failure(FailureKind.Conflict, "Choose an authenticator app or codes by text first.");
                    case CodeCheck.Expired:
                        return new Failure(FailureKind.Gone, "That code has expired. Ask for a new one.");
                    case CodeCheck.Wrong:
                        return SetupSessions.Save<IReadOnlyList<string>>(e.WrongCode(max)!, e);
                    default:
                        e.Verify(issued.Stored, check.TotpStep);
                        return SetupSessions.Save(new Result<IReadOnlyList<string>>(issued.Codes), e);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (verified.Failure is { Kind: FailureKind.WrongCode or FailureKind.Locked } wrong)
        {
            logger.LogWarning("Wrong setup code; {AttemptsLeft} attempts left", wrong.AttemptsLeft ?? 0);
        }

        return verified;
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

        (string UserKey, string Id, string? PhoneCipher) finished = default;
        FactorReplacement.Replaced? decidedOn = null;
        var completed = await sessions.ChangeAsync(
            target,
            async (e, ct) => e.Status == EnrollmentStatus.Verified
                ? await FactorReplacement.LoadAsync(tables, e.UserKey, ct).ConfigureAwait(false)
                : FactorReplacement.Nothing,
            (e, replaced, now) =>
            {
                decidedOn = replaced;
                if ((e.RefusePolicy(policy!) ?? EnrollmentRules.Refuse(e.Status, EnrollmentMove.Complete) ?? FactorReplacement.Refuse(e, replaced)) is { } refused)
                {
                    return refused;
                }

                var changes = FactorReplacement.Changes(e, replaced, policy!, now);
                // Read before Complete scrubs the enrollment's secrets, the phone among them.
                finished = (e.UserKey, e.Id, e.PhoneCipher);
                e.Complete();

                // The audit trail starts with this enrollment's event; its retention chain starts here too.
                auditTrim.Schedule(changes, e.UserKey, now);
                return new Decision<SetupCompleted>(new SetupCompleted(true, e.Method!, policy!), changes.Save(e));
            },
            cancellationToken).ConfigureAwait(false);
        if (completed.Succeeded)
        {
            logger.LogInformation("Enrollment completed with {Method}, {Policy}", completed.Value.Method, policy);
            await CountCompletionAsync(finished, cancellationToken).ConfigureAwait(false);
            // A replacement: the old phone hears of it (after the commit, and never failing it).
            await notices.SendAsync(NoticeRecipient.Of(decidedOn?.Profile), SmsTemplates.NoticeFactorReplaced, null, cancellationToken).ConfigureAwait(false);
        }

        return completed;
    }

    /// <summary>A completed enrollment is what the pumping guard weighs its number's block's setup texts against.</summary>
    private async Task CountCompletionAsync((string UserKey, string Id, string? PhoneCipher) e, CancellationToken cancellationToken)
    {
        if (e.PhoneCipher is null)
        {
            return;
        }

        try
        {
            var phone = await keys.DecryptAsync(e.PhoneCipher, EnrollmentService.PhoneContext(e.UserKey), cancellationToken).ConfigureAwait(false);
            await pumping.RecordCompletionAsync(phone, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            // The enrollment is complete; only the block's tally misses one.
            logger.LogWarning(ex, "Could not count enrollment {EnrollmentId} for the pumping guard", e.Id);
        }
    }

    /// <summary>The typed code against the enrollment's chosen method, with the factor's checker.</summary>
    private async Task<SetupCheck> CheckCodeAsync(Enrollment e, string code, CancellationToken cancellationToken)
    {
        if (e.Method == Methods.Authenticator && e.SeedCipher is not null)
        {
            var seed = await keys.DecryptAsync(e.SeedCipher, TotpFactor.SeedContext(e.UserKey), cancellationToken).ConfigureAwait(false);
            var check = totp.Check(seed, code, e.LastTotpStep);
            // A replayed time step is a wrong code: each passes once.
            return check.Outcome == TotpOutcome.Accepted ? new SetupCheck(CodeCheck.Accepted, check.MatchedStep) : new SetupCheck(CodeCheck.Wrong);
        }

        if (e.Method == Methods.Sms && e.SmsCode is not null)
        {
            var check = await textedCodes.CheckAsync(e.SmsCode, code, time.GetUtcNow(), verification.Value.MaxAttempts - e.Attempts, cancellationToken).ConfigureAwait(false);
            return check.Outcome switch
            {
                TextedCodeOutcome.Accepted => new SetupCheck(CodeCheck.Accepted),
                TextedCodeOutcome.Expired => new SetupCheck(CodeCheck.Expired),
                _ => new SetupCheck(CodeCheck.Wrong),
            };
        }

        return new SetupCheck(CodeCheck.NoMethod);
    }

    private enum CodeCheck
    {
        Accepted,
        Wrong,
        Expired,
        NoMethod,
    }

    /// <param name="TotpStep">The authenticator's matched time step, when that is what was accepted.</param>
    private readonly record struct SetupCheck(CodeCheck Outcome, long? TotpStep = null);
}
