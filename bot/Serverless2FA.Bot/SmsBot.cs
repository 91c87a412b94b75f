using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Bot.Conversation;
using Serverless2FA.Bot.Keywords;
using Serverless2FA.Bot.Replies;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.TextEnrollment;

namespace Serverless2FA.Bot;

/// <summary>An inbound text as Twilio delivers it, stripped of Twilio's wire format.</summary>
public sealed record InboundText(string? From, string? Body, string? MessageSid);

/// <summary>
/// The SMS conversation: reads a text, decides the move with <see cref="ConversationRules"/>, carries it out with
/// the same Core steps the setup page uses, and answers with one reply (or none: opt-out words, numbers the
/// service may not text, and repeated deliveries get no answer).
/// </summary>
public sealed class SmsBot(
    BotSteps steps,
    TextConversations conversations,
    InboundMessages inbound,
    TextingService texting,
    PhoneNumberPolicy phones,
    UserKeys userKeys,
    IOptions<ServiceOptions> service,
    ILogger<SmsBot> logger)
{
    public async Task<BotReply?> HandleAsync(InboundText text, CancellationToken cancellationToken)
    {
        var phone = phones.Parse(text.From);
        if (!phone.Valid || string.IsNullOrEmpty(text.MessageSid))
        {
            logger.LogInformation("No reply to a text from a number the service does not serve");
            return null;
        }

        // The phone's conversation does not depend on the claim, so it is read while the claim is made: a first
        // delivery then waits for two storage round trips in a row instead of three. Nothing is decided or written
        // from it before the claim succeeds; a repeated delivery only read.
        var loading = LoadAsync(phone.E164!, cancellationToken);
        bool claimed;
        try
        {
            claimed = await inbound.TryClaimAsync(text.MessageSid, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await IgnoreAsync(loading).ConfigureAwait(false);
            throw;
        }

        if (!claimed)
        {
            await IgnoreAsync(loading).ConfigureAwait(false);
            logger.LogInformation("{MessageSid} was already handled", text.MessageSid);
            return null;
        }

        try
        {
            var (phoneKey, conversation) = await loading.ConfigureAwait(false);
            var reply = await HandleOnceAsync(phone, phoneKey, conversation, KeywordParser.Parse(text.Body), cancellationToken).ConfigureAwait(false);
            if (reply is { Segments: > 1 })
            {
                logger.LogWarning("Reply to {MessageSid} takes {Segments} segments", text.MessageSid, reply.Segments);
            }

            return reply;
        }
        catch (Exception ex)
        {
            await inbound.ReleaseAsync(text.MessageSid, ex).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(string PhoneKey, PhoneConversation Conversation)> LoadAsync(string e164, CancellationToken cancellationToken)
    {
        var phoneKey = await userKeys.ForPhoneAsync(e164, cancellationToken).ConfigureAwait(false);
        return (phoneKey, await conversations.LoadAsync(phoneKey, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Waits for a read whose result is not wanted (the claim failed or was refused); its fault matters no more.</summary>
    private static async Task IgnoreAsync(Task read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The claim's outcome decides; a failed read that nobody uses is not an error.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<BotReply?> HandleOnceAsync(PhoneParseResult phone, string phoneKey, PhoneConversation conversation, Inbound message, CancellationToken cancellationToken)
    {
        var pending = conversation.Enrollment;
        var state = ConversationStates.From(pending?.Status, pending?.Conversation);
        var move = ConversationRules.Decide(state, message.Intent);
        var context = new BotContext(phone.E164!, phoneKey, pending, BotReplies.LanguageFor(pending?.Locale, phone.Region), service.Value.Issuer);

        if (conversation.OptedOut && move.Action is not (BotAction.OptOut or BotAction.Cancel))
        {
            // Twilio delivers nothing to an opted-out number until it texts an opt-in word, so only START goes on.
            if (message.Intent != Intent.Start)
            {
                return null;
            }

            await texting.RecordOptOutAsync(phoneKey, optedOut: false, cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Bot: {State} + {Intent} -> {Action}", state, message.Intent, move.Action);
        return await steps.RunAsync(move, state, message, context, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Who is texting and about what.</summary>
public sealed record BotContext(string Phone, string PhoneKey, PendingText? Pending, string Language, string Issuer)
{
    public BotReply Reply(ReplyKey key, object? argument = null) => BotReplies.Render(key, Language, Issuer, argument);

    public BotReply Prompt(ConversationState state) => Reply(BotReplies.PromptFor(state));
}
