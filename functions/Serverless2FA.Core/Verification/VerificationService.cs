using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Totp;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Log-in verification for the relying app: <see cref="StartAsync"/> opens one (texting a code for the SMS
/// method), <see cref="CheckAsync"/> decides a code. Every decision is one ETag write of the user's profile (with
/// its audit row, and any emergency-code or device row, in the same partition transaction), so parallel requests
/// are each counted and each code, time step and verification is accepted once.
/// </summary>
public sealed partial class VerificationService(
    Tables tables,
    KeyRing keys,
    UserKeys userKeys,
    TotpFactor totp,
    TextingService texting,
    ExpiryIndex expiry,
    TimeProvider time,
    IOptions<ServiceOptions> service,
    IOptions<VerificationOptions> options,
    ILogger<VerificationService> logger)
{
    public const string ExpiryKind = "verification";
    private const int MaxConflicts = 16;

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
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var now = time.GetUtcNow();
            var found = await users.GetEntityIfExistsAsync<UserProfileEntity>(userKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || found.Value is not { Enrolled: true, Method: not null } profile)
            {
                return new Failure(FailureKind.NotFound, "This user has not turned on two-factor authentication.");
            }

            // A locked factor gets no new code: texting one would only feed SMS pumping.
            if (FactorLock.Check(profile, now) is { } locked)
            {
                return locked;
            }

            var required = !(profile.Policy == Policies.OncePerComputer
                && await IsRememberedAsync(users, userKey, deviceToken, now, cancellationToken).ConfigureAwait(false));
            var verification = new VerificationEntity
            {
                PartitionKey = NewId(),
                UserKey = userKey,
                EnrollmentId = profile.EnrollmentId,
                Method = profile.Method,
                Required = required,
                CreatedAt = now,
                ExpiresAt = now + options.Value.CodeTtl,
                FailuresAtStart = profile.TotalFailures,
            };
            var started = new VerificationStarted(verification.PartitionKey, required, profile.Method, verification.ExpiresAt);
            if (!required || profile.Method != Methods.Sms)
            {
                await SaveAsync(verification, cancellationToken).ConfigureAwait(false);
                return started;
            }

            var reserved = await ReserveTextAsync(users, profile, verification, now, cancellationToken).ConfigureAwait(false);
            if (reserved is null)
            {
                continue;
            }

            if (!reserved.Value.Succeeded)
            {
                return reserved.Value.Failure!;
            }

            await SaveAsync(verification, cancellationToken).ConfigureAwait(false);
            var sent = await TextCodeAsync(profile, reserved.Value.Value!, cancellationToken).ConfigureAwait(false);
            if (!sent.Succeeded)
            {
                await WithdrawTextAsync(users, userKey, verification.PartitionKey, cancellationToken).ConfigureAwait(false);
                // The verification stands without its text, so a person who cannot receive texts can still
                // sign in with an emergency code: the problem names it.
                return sent.Failure! with
                {
                    Detail = sent.Failure!.Detail + " An emergency code still works: check it against this verificationId.",
                    Extensions = new Dictionary<string, object?> { ["verificationId"] = verification.PartitionKey, ["expiresAt"] = verification.ExpiresAt },
                };
            }

            logger.LogInformation("Verification {VerificationId} started; code texted to {Phone}", verification.PartitionKey, profile.PhoneMasked);
            return started;
        }

        return Busy();
    }

    internal static string NewId() => "ver_" + Randomness.Token(16);

    internal static bool IsWellFormedId(string? id) => id is { Length: > 4 and <= 64 } && IdPattern().IsMatch(id);

    private static async Task<bool> IsRememberedAsync(TableClient users, string userKey, string? deviceToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!DeviceTokens.IsWellFormed(deviceToken))
        {
            return false;
        }

        var device = await users.GetEntityIfExistsAsync<DeviceEntity>(userKey, DeviceTokens.RowKeyOf(deviceToken!), cancellationToken: cancellationToken).ConfigureAwait(false);
        return DeviceTokens.IsLive(device.HasValue ? device.Value : null, now);
    }

    /// <summary>
    /// Claims the user's next text on the profile, with its ETag: the resend cooldown holds across parallel starts,
    /// and the new code replaces the previous verification's.
    /// </summary>
    /// <returns>The code to text; a failure (cooldown); or null when the profile changed meanwhile.</returns>
    private async Task<Result<string>?> ReserveTextAsync(TableClient users, UserProfileEntity profile, VerificationEntity verification, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wait = VerificationRules.CooldownLeft(profile, now, options.Value);
        if (wait > TimeSpan.Zero)
        {
            return new Failure(FailureKind.RateLimited, "A code was just texted. Wait a moment before asking for another.") { RetryAfter = wait };
        }

        var code = Randomness.Digits(Codes.SmsDigits);
        verification.SmsCodeSalt = Randomness.Token(8);
        verification.SmsCodeHash = await keys.CodeHashAsync(verification.SmsCodeSalt, code, cancellationToken).ConfigureAwait(false);
        profile.LastCodeSentAt = now;
        profile.SmsVerificationId = verification.PartitionKey;
        // A new code starts a new delivery: the last one's failure no longer describes what the person waits for.
        profile.LastCodeDeliveryStatus = null;
        profile.LastCodeDeliveryErrorCode = null;
        profile.LastCodeVerificationId = null;
        try
        {
            await users.UpdateEntityAsync(profile, profile.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return code;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    private async Task<Result<SmsSendResult>> TextCodeAsync(UserProfileEntity profile, string code, CancellationToken cancellationToken)
    {
        var phone = await keys.DecryptAsync(profile.PhoneCipher!, EnrollmentService.PhoneContext(profile.PartitionKey), cancellationToken).ConfigureAwait(false);
        var body = SmsTemplates.RenderCode(SmsTemplates.LoginCode, profile.Locale, service.Value, code, (int)options.Value.CodeTtl.TotalMinutes);
        return await texting.SendAsync(phone, profile.PhoneKey!, profile.PartitionKey, body, SmsTemplates.LoginCode, MessageTarget.Verification(profile.PartitionKey, profile.SmsVerificationId!), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The code never left: free the cooldown so the relying app may try again at once.</summary>
    private static async Task WithdrawTextAsync(TableClient users, string userKey, string verificationId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await users.GetEntityIfExistsAsync<UserProfileEntity>(userKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || found.Value!.SmsVerificationId != verificationId)
            {
                return;
            }

            var profile = found.Value;
            profile.SmsVerificationId = null;
            profile.LastCodeSentAt = null;
            try
            {
                await users.UpdateEntityAsync(profile, profile.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Changed meanwhile: look again.
            }
        }
    }

    /// <summary>Index first: an index row without its target is dropped by the sweep; a target without one would never expire.</summary>
    private async Task SaveAsync(VerificationEntity verification, CancellationToken cancellationToken)
    {
        await expiry.AddAsync(ExpiryKind, Tables.Verifications, verification.PartitionKey, VerificationEntity.Row, verification.ExpiresAt, cancellationToken).ConfigureAwait(false);
        var table = await tables.GetAsync(Tables.Verifications, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(verification, cancellationToken).ConfigureAwait(false);
    }

    private static Failure Busy()
        => new(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };

    [GeneratedRegex("^ver_[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();
}
