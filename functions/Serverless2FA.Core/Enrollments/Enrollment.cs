using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// A user's pending enrollment: what it gathered (phone, method, seed, texted code, emergency codes) and where it
/// stands. It changes only through its moves, each allowed by <see cref="EnrollmentRules"/> or refused with a
/// <see cref="Failure"/> (and then unchanged); whatever ends it destroys its secrets with <see cref="Scrub"/>.
/// Storage maps it to and from its row, keeping the row's version so a save fails if someone else saved first.
/// </summary>
public sealed class Enrollment
{
    private Enrollment(string userKey, string id, EnrollmentStatus status, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        UserKey = userKey;
        Id = id;
        Status = status;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public string UserKey { get; }
    public string Id { get; }
    public EnrollmentStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The relying app's user id, encrypted: the events about this enrollment name the user by it.</summary>
    public string? UserIdCipher { get; private set; }

    public string? PhoneCipher { get; private set; }
    public string? PhoneMasked { get; private set; }
    public string? PhoneKey { get; private set; }
    public string? Locale { get; private set; }
    /// <summary>The policy the relying app fixed when it started the enrollment; null when the person chooses.</summary>
    public string? RequestedPolicy { get; private set; }

    /// <summary>
    /// The enrollment id of the factor this one was admitted (with a step-up) to replace; null when the user had no
    /// factor. Completing it is refused if the user's factor is another by then.
    /// </summary>
    public string? Replaces { get; private set; }

    /// <summary>SHA-256 of the setup session's secret (the cookie holds the secret).</summary>
    public string? SessionHash { get; private set; }

    /// <summary>The SMS bot's step (a <c>ConversationState</c> name) when the enrollment is driven by text.</summary>
    public string? Conversation { get; private set; }

    public string? Method { get; private set; }
    public string? SeedCipher { get; private set; }
    public long LastTotpStep { get; private set; }
    public StoredTextedCode? SmsCode { get; private set; }
    public DateTimeOffset? SmsCodeSentAt { get; private set; }

    /// <summary>Wrong codes so far; a resend never resets it.</summary>
    public int Attempts { get; private set; }

    /// <summary>The emergency codes shown at verification, kept until completion writes them for the user.</summary>
    public IReadOnlyList<StoredEmergencyCode>? EmergencyCodes { get; private set; }

    /// <summary>Twilio's verdict on the last text for this enrollment, when it failed.</summary>
    public string? DeliveryStatus { get; private set; }
    public int? DeliveryErrorCode { get; private set; }
    public string? LastMessageSid { get; private set; }

    /// <summary>The stored row's version (ETag) it was read at; null for one not yet saved. For storage only.</summary>
    internal string? Version { get; private set; }

    public bool HasSecrets
        => SeedCipher is not null || SmsCode is not null || EmergencyCodes is not null || SessionHash is not null || PhoneCipher is not null;

    /// <summary>"Text me a link": the phone is known, the link is on its way.</summary>
    public static Enrollment StartWithLink(string userKey, string id, DateTimeOffset now, DateTimeOffset expiresAt, string phoneCipher, string phoneMasked, string phoneKey, string? locale, string? policy, string? userIdCipher = null)
        => new(userKey, id, EnrollmentStatus.LinkSent, now, expiresAt)
        {
            UserIdCipher = userIdCipher,
            PhoneCipher = phoneCipher,
            PhoneMasked = phoneMasked,
            PhoneKey = phoneKey,
            Locale = locale,
            RequestedPolicy = policy,
        };

    /// <summary>No phone yet: the person texts JOIN and the code to bind theirs.</summary>
    public static Enrollment StartByText(string userKey, string id, DateTimeOffset now, DateTimeOffset expiresAt, string? locale, string? policy, string? userIdCipher = null)
        => new(userKey, id, EnrollmentStatus.AwaitingText, now, expiresAt) { Locale = locale, RequestedPolicy = policy, UserIdCipher = userIdCipher };

    /// <summary>Before its first save: the user's current factor, which it is admitted to replace (null: none).</summary>
    public void Admit(string? replaces)
    {
        if (Version is not null)
        {
            throw new InvalidOperationException("Only a new enrollment is admitted.");
        }

        Replaces = replaces;
    }

    /// <summary>
    /// Why <paramref name="policy"/> cannot finish it: the relying app fixed another one at the start. Null when it can.
    /// </summary>
    public Failure? RefusePolicy(string policy)
        => RequestedPolicy is { } fixedPolicy && fixedPolicy != policy
            ? new Failure(FailureKind.Conflict, $"The app chose the policy \"{fixedPolicy}\" for this setup; it cannot be changed here.") { Code = "policy-fixed" }
            : null;

    /// <summary>The link was opened: a setup session proven by <paramref name="sessionHash"/> lasts until <paramref name="expiresAt"/>.</summary>
    public Failure? Open(string sessionHash, DateTimeOffset expiresAt)
        => Move(EnrollmentMove.Open, () =>
        {
            SessionHash = sessionHash;
            ExpiresAt = expiresAt;
        });

    /// <summary>The phone that texted JOIN is bound to it, and the conversation begins at <paramref name="step"/>.</summary>
    public Failure? Join(string phoneCipher, string phoneMasked, string phoneKey, string? locale, string step, DateTimeOffset expiresAt)
        => Move(EnrollmentMove.Join, () =>
        {
            PhoneCipher = phoneCipher;
            PhoneMasked = phoneMasked;
            PhoneKey = phoneKey;
            Locale ??= locale;
            Conversation = step;
            ExpiresAt = expiresAt;
        });

    /// <summary>The authenticator app, with a fresh seed each time until a code proves one works.</summary>
    public Failure? ChooseAuthenticator(string seedCipher)
        => Move(EnrollmentMove.ChooseMethod, () =>
        {
            Method = Methods.Authenticator;
            SeedCipher = seedCipher;
            SmsCode = null;
        });

    /// <summary>
    /// Codes by text, with <paramref name="code"/> about to be texted. Refused while the setup is locked, and until
    /// <paramref name="cooldown"/> has passed since the last code was texted.
    /// </summary>
    public Failure? ChooseTexts(StoredTextedCode code, DateTimeOffset now, int maxAttempts, TimeSpan cooldown)
    {
        if ((EnrollmentRules.Refuse(Status, EnrollmentMove.ChooseMethod) ?? (IsLocked(maxAttempts) ? Locked() : null)) is { } refused)
        {
            return refused;
        }

        if (SmsCodeSentAt is { } last && last + cooldown > now)
        {
            return new Failure(FailureKind.RateLimited, "A code was just sent. Wait a moment before asking for another.") { RetryAfter = last + cooldown - now };
        }

        return Move(EnrollmentMove.ChooseMethod, () =>
        {
            Method = Methods.Sms;
            SeedCipher = null;
            SmsCode = code;
            SmsCodeSentAt = now;
        });
    }

    /// <summary>The code of <paramref name="hash"/> never left: it is withdrawn, so another may be asked for at once.</summary>
    /// <returns>False when it is no longer the live code (a newer one, or the setup moved on).</returns>
    public bool WithdrawCode(string hash)
    {
        if (SmsCode?.Hash != hash)
        {
            return false;
        }

        return Move(EnrollmentMove.Note, () =>
        {
            SmsCode = null;
            SmsCodeSentAt = null;
        }) is null;
    }

    public bool IsLocked(int maxAttempts) => Attempts >= maxAttempts;

    /// <summary>Why no code can be checked now (already verified, over, or locked); null when one can.</summary>
    public Failure? RefuseCode(int maxAttempts)
        => EnrollmentRules.Refuse(Status, EnrollmentMove.Verify) ?? (IsLocked(maxAttempts) ? Locked() : null);

    /// <summary>Counts a wrong code; at <paramref name="maxAttempts"/> the setup is locked.</summary>
    public Failure? WrongCode(int maxAttempts)
        => Move(EnrollmentMove.WrongCode, () => Attempts++) ?? (IsLocked(maxAttempts)
            ? Locked()
            : new Failure(FailureKind.WrongCode, "That code is not right. Check it and try again.") { AttemptsLeft = maxAttempts - Attempts });

    /// <summary>A code proved the method: the texted code is used up, and the emergency codes shown are kept for completion.</summary>
    /// <param name="totpStep">The time step the authenticator code matched, which may not be used again.</param>
    public Failure? Verify(IReadOnlyList<StoredEmergencyCode> emergencyCodes, long? totpStep)
        => Move(EnrollmentMove.Verify, () =>
        {
            SmsCode = null;
            EmergencyCodes = emergencyCodes;
            LastTotpStep = totpStep ?? LastTotpStep;
        });

    /// <summary>Back to link-sent, for the bot's "2": the texted link opens only such an enrollment.</summary>
    public Failure? ReissueLink(string step)
        => Move(EnrollmentMove.ReissueLink, () => Conversation = step);

    /// <summary>Finished: the caller has written the user's factor from it, and nothing secret stays here.</summary>
    public Failure? Complete() => Move(EnrollmentMove.Complete, Scrub);

    public Failure? Cancel() => Move(EnrollmentMove.Cancel, Scrub);

    /// <summary>Its time is up: a live one expires; one already over (failed, cancelled) only loses its secrets.</summary>
    public Failure? Expire(DateTimeOffset now)
    {
        if (ExpiresAt > now)
        {
            return new Failure(FailureKind.Conflict, "It is not due yet.");
        }

        return Move(EnrollmentMove.Expire, Scrub);
    }

    public Failure? FailDelivery() => Move(EnrollmentMove.FailDelivery, () => { });

    /// <summary>Twilio reported a text for it undelivered or failed.</summary>
    public Failure? RecordDelivery(string status, int? errorCode, string messageSid)
        => Move(EnrollmentMove.Note, () =>
        {
            DeliveryStatus = status;
            DeliveryErrorCode = errorCode;
            LastMessageSid = messageSid;
        });

    public Failure? RecordMessageSid(string? messageSid) => Move(EnrollmentMove.Note, () => LastMessageSid = messageSid);

    /// <summary>The bot's step; false when it was already this one (nothing to save).</summary>
    public bool RecordStep(string step)
    {
        if (Conversation == step)
        {
            return false;
        }

        return Move(EnrollmentMove.Note, () => Conversation = step) is null;
    }

    /// <summary>Destroys what it gathered that could be used: seed, codes, session, phone. The masked phone stays, for the status API.</summary>
    public void Scrub()
    {
        SeedCipher = null;
        SmsCode = null;
        EmergencyCodes = null;
        SessionHash = null;
        PhoneCipher = null;
    }

    /// <summary>Rebuilds a stored enrollment as it was saved. For storage only.</summary>
    internal static Enrollment FromRecord(EnrollmentRecord r) => new(r.UserKey, r.Id, r.Status, r.CreatedAt, r.ExpiresAt)
    {
        UserIdCipher = r.UserIdCipher,
        PhoneCipher = r.PhoneCipher,
        PhoneMasked = r.PhoneMasked,
        PhoneKey = r.PhoneKey,
        Locale = r.Locale,
        RequestedPolicy = r.RequestedPolicy,
        SessionHash = r.SessionHash,
        Conversation = r.Conversation,
        Method = r.Method,
        SeedCipher = r.SeedCipher,
        LastTotpStep = r.LastTotpStep,
        SmsCode = r.SmsCode,
        SmsCodeSentAt = r.SmsCodeSentAt,
        Attempts = r.Attempts,
        EmergencyCodes = r.EmergencyCodes,
        DeliveryStatus = r.DeliveryStatus,
        DeliveryErrorCode = r.DeliveryErrorCode,
        LastMessageSid = r.LastMessageSid,
        Replaces = r.Replaces,
        Version = r.Version,
    };

    /// <summary>Everything it holds, for storage to save.</summary>
    internal EnrollmentRecord ToRecord() => new(
        UserKey, Id, Status, CreatedAt, ExpiresAt, PhoneCipher, PhoneMasked, PhoneKey, Locale, RequestedPolicy, SessionHash, Conversation,
        Method, SeedCipher, LastTotpStep, SmsCode, SmsCodeSentAt, Attempts, EmergencyCodes, DeliveryStatus, DeliveryErrorCode, LastMessageSid, Replaces, Version, UserIdCipher);

    private static Failure Locked() => new(FailureKind.Locked, "Too many wrong codes. Ask the app to text you a new setup link.");

    /// <summary>The one way its status changes: along a move of the table, or not at all.</summary>
    private Failure? Move(EnrollmentMove move, Action change)
    {
        if (EnrollmentRules.Refuse(Status, move) is { } refused)
        {
            return refused;
        }

        change();
        Status = EnrollmentRules.Next(Status, move)!.Value;
        return null;
    }
}
