using System.Globalization;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// Every text the service sends, per locale, in one place. Each fits one GSM-7 segment (160
/// characters) with the longest link the service can make (a 64-character origin) and the longest
/// issuer name (16), which a unit test checks; the Spanish
/// texts avoid accented letters outside GSM-7 (á, í, ó, ú) for that reason. A text that carries a code
/// ends with the origin-bound line <c>@host #code</c> (<see cref="RenderCode"/>), which that test counts in.
/// </summary>
public static class SmsTemplates
{
    public const string SetupLink = "setup-link";
    public const string SetupCode = "setup-code";
    public const string LoginCode = "login-code";

    // Security notices (Core/Notices): each key starts with NoticePrefix.
    public const string NoticeFactorReplaced = NoticePrefix + "factor-replaced";
    public const string NoticeDisabled = NoticePrefix + "disabled";
    public const string NoticeEmergencyCodeUsed = NoticePrefix + "emergency-code-used";
    public const string NoticeEmergencyCodesRenewed = NoticePrefix + "emergency-codes-renewed";
    public const string NoticeHardLocked = NoticePrefix + "hard-locked";

    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new()
        {
            [SetupLink] = "{0} setup: {1} Expires in {2} min. Not you? Ignore it.",
            [SetupCode] = "{0} setup code: {1}. It expires in {2} min. Never share it.",
            [LoginCode] = "{0} sign-in code: {1}. Expires in {2} min. Never share it, we never ask.",
            [NoticeFactorReplaced] = "{0}: 2-step sign-in moved to a new phone or app; this number gets no more codes. Not you? Contact support now.",
            [NoticeDisabled] = "{0}: 2-step sign-in was turned off for your account. Not you? Secure your account and contact support now.",
            [NoticeEmergencyCodeUsed] = "{0}: an emergency code was used to sign in. {1} left. Not you? Contact support now.",
            [NoticeEmergencyCodesRenewed] = "{0}: new emergency codes were made; the old ones no longer work. Not you? Contact support now.",
            [NoticeHardLocked] = "{0}: 2-step sign-in is locked after too many wrong codes. Ask support to unlock it. Not you? Change your password.",
        },
        ["es"] = new()
        {
            [SetupLink] = "{0}: activa: {1} Caduca en {2} min. ¿No fuiste tu? Ignoralo.",
            [SetupCode] = "{0}: tu clave de activacion es {1}. Caduca en {2} min. No la compartas.",
            [LoginCode] = "{0}: clave para entrar {1}. Caduca en {2} min. Nunca la pedimos; no la des.",
            [NoticeFactorReplaced] = "{0}: la verificacion en 2 pasos paso a otro telefono o app; este numero ya no recibe codigos. ¿No fuiste tu? Avisa a soporte.",
            [NoticeDisabled] = "{0}: se desactivo la verificacion en 2 pasos de tu cuenta. ¿No fuiste tu? Protege tu cuenta y avisa a soporte.",
            [NoticeEmergencyCodeUsed] = "{0}: se uso un codigo de emergencia para entrar. Quedan {1}. ¿No fuiste tu? Avisa a soporte.",
            [NoticeEmergencyCodesRenewed] = "{0}: se crearon codigos de emergencia nuevos; los anteriores ya no sirven. ¿No fuiste tu? Avisa a soporte.",
            [NoticeHardLocked] = "{0}: la verificacion en 2 pasos se bloqueo por demasiados codigos erroneos. Pide a soporte que la desbloquee.",
        },
    };

    /// <summary>The purpose a template's texts are counted under; every template has one.</summary>
    public static SmsPurpose PurposeOf(string key) => key switch
    {
        LoginCode => SmsPurpose.Login,
        SetupLink or SetupCode => SmsPurpose.Enrollment,
        _ when key.StartsWith(NoticePrefix, StringComparison.Ordinal) => SmsPurpose.Notice,
        _ => throw new ArgumentException($"No purpose is declared for the template \"{key}\".", nameof(key)),
    };

    /// <summary>Notice templates are named "notice-…", so <see cref="PurposeOf"/> counts them as <see cref="SmsPurpose.Notice"/>.</summary>
    public const string NoticePrefix = "notice-";

    public static IReadOnlyCollection<string> Locales => Texts.Keys;

    public static IReadOnlyCollection<string> Keys => Texts["en"].Keys;

    /// <summary>The language of <paramref name="locale"/> ("es-MX" → "es") when the service speaks it, else English.</summary>
    public static string Resolve(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return "en";
        }

        var language = locale.Split('-', '_')[0];
        return Texts.ContainsKey(language) ? language.ToLowerInvariant() : "en";
    }

    public static string Render(string key, string? locale, params object[] args)
        => string.Format(CultureInfo.InvariantCulture, Texts[Resolve(locale)][key], args);

    /// <summary>
    /// A text carrying <paramref name="code"/> (<see cref="SetupCode"/>, <see cref="LoginCode"/>): the template, then
    /// on its own last line <c>@{host of PublicBaseUrl} #{code}</c>, the origin-bound one-time code format (WebOTP,
    /// domain-bound codes) by which browsers autofill the code only on that site.
    /// </summary>
    public static string RenderCode(string key, string? locale, ServiceOptions service, string code, int minutes)
        => Render(key, locale, service.Issuer, code, minutes) + "\n" + OriginBoundLine(service.PublicBaseUrl, code);

    /// <summary>The host alone (no scheme or port, as the format wants), in its ASCII form so the text stays GSM-7.</summary>
    public static string OriginBoundLine(Uri publicBaseUrl, string code) => "@" + publicBaseUrl.IdnHost + " #" + code;
}
