using System.Globalization;
using Serverless2FA.Bot.Conversation;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.Bot.Replies;

/// <summary>
/// The bot's replies, per language. {0} is the issuer (at most 16 characters). Each fits one GSM-7 segment with
/// the longest arguments, which a unit test checks; Spanish avoids á, í, ó and ú, which GSM-7 lacks.
/// </summary>
public static class BotReplies
{
    private static readonly Dictionary<string, Dictionary<ReplyKey, string>> Texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new()
        {
            [ReplyKey.PromptNotStarted] = "{0}: to turn on 2-step sign-in, get a join code in the app, then text JOIN and the code to this number.",
            [ReplyKey.PromptChoosingMethod] = "{0}: how should we send sign-in codes? Reply 1 for text messages or 2 for an authenticator app.",
            [ReplyKey.PromptAwaitingSmsCode] = "{0}: reply with the 6-digit code we texted you. Reply 1 for a new code.",
            [ReplyKey.PromptAwaitingAppCode] = "{0}: open the link we texted, add the key to your app, then reply with its 6-digit code. Reply 2 for a new link.",
            [ReplyKey.PromptAwaitingSaved] = "{0}: write down your emergency codes, then reply SAVED.",
            [ReplyKey.PromptChoosingPolicy] = "{0}: when should we ask for a code? Reply 1 at every sign-in or 2 once per computer.",
            [ReplyKey.PromptCompleted] = "{0}: 2-step sign-in is on for your account. Nothing more to do.",
            [ReplyKey.Help] = "{0} 2-step setup: JOIN <code> to start, STATUS for your step, CANCEL to stop setup, STOP to end texts. Msg&data rates may apply.",
            [ReplyKey.Joined] = "{0}: phone linked. How should we send sign-in codes? Reply 1 for text messages or 2 for an authenticator app.",
            [ReplyKey.JoinWrong] = "{0}: that join code is not right or has expired. Check it in the app and text JOIN and the code again.",
            [ReplyKey.JoinLimited] = "{0}: too many wrong join codes from this phone. Try again in {1} min.",
            [ReplyKey.SmsCodeSent] = "{0}: we are texting you a 6-digit code. Reply with it here.",
            [ReplyKey.AppLinkSent] = "{0}: we are texting you a setup link. Open it, add the key to your app, then reply with the app's 6-digit code.",
            [ReplyKey.CodeWrong] = "{0}: that code is not right. {1} tries left.",
            [ReplyKey.CodeExpired] = "{0}: that code has expired. Reply 1 for a new one.",
            [ReplyKey.Locked] = "{0}: too many wrong codes. Get a new join code in the app to start again.",
            [ReplyKey.NeedAppFirst] = "{0}: open the setup link first and add the key to your app. Reply 2 for a new link.",
            [ReplyKey.EmergencyCodesLink] = "{0}: save your emergency codes: {1} then reply SAVED",
            [ReplyKey.Done] = "{0}: done! 2-step sign-in is on. Keep your emergency codes safe.",
            [ReplyKey.TooManyTexts] = "{0}: too many texts to this phone. Try again in {1} min.",
            [ReplyKey.SendFailed] = "{0}: we could not send that just now. Try again in a minute.",
        },
        ["es"] = new()
        {
            [ReplyKey.PromptNotStarted] = "{0}: para activar la verificacion en 2 pasos, pide un codigo en la app y envia JOIN y el codigo a este numero.",
            [ReplyKey.PromptChoosingMethod] = "{0}: ¿como te enviamos los codigos? Responde 1 por SMS o 2 para una app de autenticacion.",
            [ReplyKey.PromptAwaitingSmsCode] = "{0}: responde con el codigo de 6 cifras que te enviamos. Responde 1 para otro.",
            [ReplyKey.PromptAwaitingAppCode] = "{0}: abre el enlace que te enviamos, agrega la clave a tu app y responde con su codigo de 6 cifras. 2: otro enlace.",
            [ReplyKey.PromptAwaitingSaved] = "{0}: anota tus codigos de emergencia y responde SAVED.",
            [ReplyKey.PromptChoosingPolicy] = "{0}: ¿cuando pedimos un codigo? Responde 1 en cada inicio de sesion o 2 una vez por equipo.",
            [ReplyKey.PromptCompleted] = "{0}: la verificacion en 2 pasos esta activa. No hace falta nada mas.",
            [ReplyKey.Help] = "{0}: JOIN <codigo> para empezar, STATUS para ver tu paso, CANCEL para dejarlo, STOP para no recibir SMS. Pueden aplicar tarifas.",
            [ReplyKey.Joined] = "{0}: telefono vinculado. ¿Como te enviamos los codigos? Responde 1 por SMS o 2 para una app de autenticacion.",
            [ReplyKey.JoinWrong] = "{0}: ese codigo no es correcto o ha caducado. Revisalo en la app y envia JOIN y el codigo otra vez.",
            [ReplyKey.JoinLimited] = "{0}: demasiados codigos erroneos desde este telefono. Prueba en {1} min.",
            [ReplyKey.SmsCodeSent] = "{0}: te enviamos un codigo de 6 cifras. Responde con el aqui.",
            [ReplyKey.AppLinkSent] = "{0}: te enviamos un enlace. Abrelo, agrega la clave a tu app y responde con el codigo de 6 cifras de la app.",
            [ReplyKey.CodeWrong] = "{0}: ese codigo no es correcto. Te quedan {1} intentos.",
            [ReplyKey.CodeExpired] = "{0}: ese codigo ha caducado. Responde 1 para otro.",
            [ReplyKey.Locked] = "{0}: demasiados codigos erroneos. Pide un nuevo codigo en la app para empezar otra vez.",
            [ReplyKey.NeedAppFirst] = "{0}: primero abre el enlace y agrega la clave a tu app. Responde 2 para otro enlace.",
            [ReplyKey.EmergencyCodesLink] = "{0}: guarda tus codigos de emergencia: {1} y responde SAVED",
            [ReplyKey.Done] = "{0}: ¡listo! La verificacion en 2 pasos esta activa. Guarda bien tus codigos de emergencia.",
            [ReplyKey.TooManyTexts] = "{0}: demasiados SMS a este telefono. Prueba en {1} min.",
            [ReplyKey.SendFailed] = "{0}: no pudimos enviarlo ahora. Prueba en un minuto.",
        },
    };

    // Regions whose people are better served in Spanish when the relying app gave no locale.
    private static readonly HashSet<string> SpanishRegions = new(StringComparer.OrdinalIgnoreCase)
    {
        "ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY",
    };

    public static IReadOnlyCollection<string> Languages => Texts.Keys;

    /// <summary>The enrollment's locale when it has one, else the language of the number's country; English otherwise.</summary>
    public static string LanguageFor(string? locale, string? region)
    {
        if (!string.IsNullOrWhiteSpace(locale))
        {
            var language = locale.Split('-', '_')[0].ToLowerInvariant();
            return Texts.ContainsKey(language) ? language : "en";
        }

        return region is not null && SpanishRegions.Contains(region) ? "es" : "en";
    }

    public static BotReply Render(ReplyKey key, string language, string issuer, object? argument = null)
        => new(string.Format(CultureInfo.InvariantCulture, Texts[language][key], issuer, argument));

    public static ReplyKey PromptFor(ConversationState state) => state switch
    {
        ConversationState.ChoosingMethod => ReplyKey.PromptChoosingMethod,
        ConversationState.AwaitingSmsCode => ReplyKey.PromptAwaitingSmsCode,
        ConversationState.AwaitingAppCode => ReplyKey.PromptAwaitingAppCode,
        ConversationState.AwaitingSaved => ReplyKey.PromptAwaitingSaved,
        ConversationState.ChoosingPolicy => ReplyKey.PromptChoosingPolicy,
        ConversationState.Completed => ReplyKey.PromptCompleted,
        _ => ReplyKey.PromptNotStarted,
    };
}

/// <summary>A reply and what it costs: <see cref="Segments"/> is 1 for every template (a unit test holds them to it).</summary>
public sealed record BotReply(string Text)
{
    public int Segments => GsmSegments.Count(Text);
}
