using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Notices;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Log-in verification for the relying app: <see cref="StartAsync"/> opens one (texting a code for the SMS
/// method), <see cref="CheckAsync"/> decides a code. Every decision is one ETag write of the user's profile (with
/// its audit row, and any emergency-code or device row, in the same partition transaction), so parallel requests
/// are each counted and each code, time step and verification is accepted once.
/// </summary>
public sealed partial class VerificationService(
    Tables tables,
    Optimistic optimistic,
    KeyRing keys,
    UserKeys userKeys,
    TotpFactor totp,
    TextedCodeFactor textedCodes,
    EmergencyCodeFactor emergencyCodes,
    TextingService texting,
    NoticeSender notices,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<VerificationOptions> options,
    IOptions<EnrollmentOptions> enrollment,
    ILogger<VerificationService> logger)
{
    public const string ExpiryKind = "verification";

    public async Task<Result<VerificationStarted>> StartAsync(string? userId, string? deviceToken, CancellationToken cancellationToken)
    {
        if (UserIds.Validate(userId) is { } invalid)
        {
            return invalid;
        }

        if (deviceToken is { Length: > DeviceTokens.MaxTokenLength })
        {
            return Failure.Invalid("deviceToken", "deviceToken is not one this service issued.");
        }

        var userKey = await userKeys.ForUserAsync(userId!, cancellationToken).ConfigureAwait(false);
        IssuedTextedCode? code = null;
        var opened = await optimistic.ChangeAsync(
            async ct =>
            {
                var profile = await tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, ct).ConfigureAwait(false);
                var device = profile?.Policy == Policies.OncePerComputer && DeviceTokens.IsWellFormed(deviceToken)
                    ? await tables.FindAsync<DeviceEntity>(Tables.Users, userKey, DeviceTokens.RowKeyOf(deviceToken!), ct).ConfigureAwait(false)
                    : null;
                if (profile?.Method == Methods.Sms)
                {
                    code ??= await textedCodes.IssueAsync(time.GetUtcNow() + options.Value.CodeTtl, ct).ConfigureAwait(false);
                }

                return (Profile: profile, Device: device);
            },
            (loaded, now) => Open(loaded.Profile, loaded.Device, code, now),
            cancellationToken).ConfigureAwait(false);
        if (!opened.Succeeded)
        {
            return opened.Failure;
        }

        var (verification, profileAfter) = opened.Value;
        await optimistic.CommitAsync(new Changes(Tables.Verifications).Add(verification, new Due(ExpiryKind, verification.ExpiresAt)), cancellationToken).ConfigureAwait(false);
        var started = new VerificationStarted(verification.PartitionKey, verification.Required, verification.Method, verification.ExpiresAt);
        if (verification.SmsCodeHash is null)
        {
            return started;
        }

        var sent = await TextCodeAsync(profileAfter, code!.Code, cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            await WithdrawTextAsync(userKey, verification.PartitionKey, cancellationToken).ConfigureAwait(false);
            // The verification stands without its text, so a person who cannot receive texts can still
            // sign in with an emergency code: the problem names it.
            return sent.Failure with
            {
                Detail = sent.Failure.Detail + " An emergency code still works: check it against this verificationId.",
                Extensions = new Dictionary<string, object?> { ["verificationId"] = verification.PartitionKey, ["expiresAt"] = verification.ExpiresAt },
            };
        }

        logger.LogInformation("Verification {VerificationId} started; code texted to {Phone}", verification.PartitionKey, profileAfter.PhoneMasked);
        return started;
    }

    internal static string NewId() => "ver_" + Randomness.Token(16);

    internal static bool IsWellFormedId(string? id) => id is { Length: > 4 and <= 64 } && IdPattern().IsMatch(id);

    /// <summary>
    /// Opens a verification of the loaded profile. A texted code is claimed on the profile, with its ETag: the resend
    /// cooldown holds across parallel starts, and the new code replaces the previous verification's.
    /// </summary>
    private Decision<(VerificationEntity Verification, UserProfileEntity Profile)> Open(UserProfileEntity? profile, DeviceEntity? device, IssuedTextedCode? code, DateTimeOffset now)
    {
        if (profile is not { Enrolled: true, Method: not null })
        {
            return new Failure(FailureKind.NotFound, "This user has not turned on two-factor authentication.");
        }

        // A locked factor gets no new code: texting one would only feed SMS pumping.
        if (FactorLock.Check(profile, now) is { } locked)
        {
            return locked;
        }

        var verification = new VerificationEntity
        {
            PartitionKey = NewId(),
            UserKey = profile.PartitionKey,
            EnrollmentId = profile.EnrollmentId,
            Method = profile.Method,
            Required = !(profile.Policy == Policies.OncePerComputer && DeviceTokens.IsLive(device, now)),
            CreatedAt = now,
            ExpiresAt = now + options.Value.CodeTtl,
            FailuresAtStart = profile.TotalFailures,
            ApprovalsAtStart = profile.Approvals,
        };
        if (!verification.Required || profile.Method != Methods.Sms)
        {
            return new Decision<(VerificationEntity, UserProfileEntity)>((verification, profile));
        }

        var wait = VerificationRules.CooldownLeft(profile, now, options.Value);
        if (wait > TimeSpan.Zero)
        {
            // The pending code still works: the problem names its verification, so the app can check it.
            var pending = profile.SmsVerificationId!;
            return new Failure(FailureKind.RateLimited, "A code was just texted and still works. Check it against this verificationId, or wait a moment before asking for another.")
            {
                RetryAfter = wait,
                Extensions = new Dictionary<string, object?> { ["verificationId"] = pending, ["expiresAt"] = profile.LastCodeSentAt!.Value + options.Value.CodeTtl },
            };
        }

        verification.SmsCodeSalt = code!.Stored.Salt;
        verification.SmsCodeHash = code.Stored.Hash;
        profile.LastCodeSentAt = now;
        profile.SmsVerificationId = verification.PartitionKey;
        // A new code starts a new delivery: the last one's failure no longer describes what the person waits for.
        profile.LastCodeDeliveryStatus = null;
        profile.LastCodeDeliveryErrorCode = null;
        profile.LastCodeVerificationId = null;
        return new Decision<(VerificationEntity, UserProfileEntity)>((verification, profile), new Changes(Tables.Users).Replace(profile));
    }

    private async Task<Result<SmsSendResult>> TextCodeAsync(UserProfileEntity profile, string code, CancellationToken cancellationToken)
    {
        var phone = await keys.DecryptAsync(profile.PhoneCipher!, EnrollmentService.PhoneContext(profile.PartitionKey), cancellationToken).ConfigureAwait(false);
        var body = SmsTemplates.RenderCode(SmsTemplates.LoginCode, profile.Locale, service.Value, code, (int)options.Value.CodeTtl.TotalMinutes);
        return await texting.SendAsync(phone, profile.PhoneKey!, profile.PartitionKey, body, SmsTemplates.LoginCode, MessageTarget.Verification(profile.PartitionKey, profile.SmsVerificationId!), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The code never left: free the cooldown so the relying app may try again at once (unless a newer code took its place).</summary>
    private Task<Result<bool>> WithdrawTextAsync(string userKey, string verificationId, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, ct),
            (profile, _) =>
            {
                if (profile?.SmsVerificationId != verificationId)
                {
                    return new Decision<bool>(false);
                }

                profile.SmsVerificationId = null;
                profile.LastCodeSentAt = null;
                return new Decision<bool>(true, new Changes(Tables.Users).Replace(profile));
            },
            cancellationToken);

    [GeneratedRegex("^ver_[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();
}
