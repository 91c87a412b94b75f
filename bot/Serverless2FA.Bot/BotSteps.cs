using Serverless2FA.Bot.Conversation;
using Serverless2FA.Bot.Keywords;
using Serverless2FA.Bot.Replies;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.TextEnrollment;

namespace Serverless2FA.Bot;

/// <summary>
/// Carries out one move of the conversation with the steps the setup page uses (<see cref="SetupService"/>,
/// <see cref="EnrollmentService.TextLinkAsync"/>), so a person enrolled by text ends with the same profile. Emergency
/// codes are the exception: they are shown on a page behind a single-use link (<see cref="EmergencyCodeLinks"/>).
/// </summary>
public sealed class BotSteps(
    JoinCodes joinCodes,
    SetupService setup,
    EnrollmentService enrollments,
    TextConversations conversations,
    TextingService texting,
    EmergencyCodeLinks codeLinks)
{
    public async Task<BotReply?> RunAsync(Move move, ConversationState state, Inbound message, BotContext context, CancellationToken cancellationToken)
    {
        var target = context.Pending?.Target ?? default;
        switch (move.Action)
        {
            case BotAction.OptOut:
                // Twilio confirms the opt-out itself and would refuse any reply, so there is none.
                await texting.RecordOptOutAsync(context.PhoneKey, optedOut: true, cancellationToken).ConfigureAwait(false);
                return null;
            case BotAction.Cancel:
                if (move.Next != state)
                {
                    await conversations.CancelAsync(target, cancellationToken).ConfigureAwait(false);
                }

                await texting.RecordOptOutAsync(context.PhoneKey, optedOut: true, cancellationToken).ConfigureAwait(false);
                return null;
            case BotAction.Help:
                return context.Reply(ReplyKey.Help);
            case BotAction.Join:
                return await JoinAsync(message, context, cancellationToken).ConfigureAwait(false);
            case BotAction.SendSmsCode:
                return await SendCodeAsync(move, state, context, cancellationToken).ConfigureAwait(false);
            case BotAction.SendAppLink:
                return await SendLinkAsync(move, state, context, cancellationToken).ConfigureAwait(false);
            case BotAction.VerifyCode:
                var verified = await setup.VerifyAsync(target, message.Argument, cancellationToken).ConfigureAwait(false);
                if (!verified.Succeeded)
                {
                    return FailureReply(verified.Failure, state, context);
                }

                // Never the codes themselves in a text: a single-use link to a page that shows them once.
                var link = await codeLinks.CreateAsync(context.Pending!.UserKey, context.Pending.EnrollmentId, verified.Value, cancellationToken).ConfigureAwait(false);
                return context.Reply(ReplyKey.EmergencyCodesLink, link);
            case BotAction.ConfirmSaved:
                // The relying app may have chosen the policy already; then there is nothing left to ask.
                if (Policies.IsValid(context.Pending!.RequestedPolicy))
                {
                    return await CompleteAsync(context.Pending.RequestedPolicy!, state, context, cancellationToken).ConfigureAwait(false);
                }

                var saved = await conversations.SetStepAsync(target, move.Next.ToString(), cancellationToken).ConfigureAwait(false);
                return saved.Succeeded ? context.Prompt(move.Next) : FailureReply(saved.Failure, state, context);
            case BotAction.ChoosePolicy:
                var policy = message.Intent == Intent.One ? Policies.EveryLogin : Policies.OncePerComputer;
                return await CompleteAsync(policy, state, context, cancellationToken).ConfigureAwait(false);
            case BotAction.ExplainHowToBegin:
            case BotAction.Resume:
            case BotAction.Status:
            case BotAction.Reject:
            default:
                return context.Prompt(state);
        }
    }

    private async Task<BotReply> JoinAsync(Inbound message, BotContext context, CancellationToken cancellationToken)
    {
        var joined = await joinCodes.JoinAsync(context.Phone, context.PhoneKey, message.Argument, context.Language, cancellationToken).ConfigureAwait(false);
        if (joined.Succeeded)
        {
            var language = BotReplies.LanguageFor(joined.Value.Locale, null);
            return (context with { Language = language }).Reply(ReplyKey.Joined);
        }

        return joined.Failure.Kind == FailureKind.RateLimited
            ? context.Reply(ReplyKey.JoinLimited, Minutes(joined.Failure.RetryAfter))
            : context.Reply(ReplyKey.JoinWrong);
    }

    private async Task<BotReply?> SendCodeAsync(Move move, ConversationState state, BotContext context, CancellationToken cancellationToken)
    {
        var target = context.Pending!.Target;
        var step = await conversations.SetStepAsync(target, move.Next.ToString(), cancellationToken).ConfigureAwait(false);
        if (!step.Succeeded)
        {
            return FailureReply(step.Failure, state, context);
        }

        var sent = await setup.SendCodeAsync(target, cancellationToken).ConfigureAwait(false);
        return sent.Succeeded ? context.Reply(ReplyKey.SmsCodeSent) : FailureReply(sent.Failure, move.Next, context);
    }

    private async Task<BotReply?> SendLinkAsync(Move move, ConversationState state, BotContext context, CancellationToken cancellationToken)
    {
        var pending = context.Pending!;
        var prepared = await conversations.PrepareLinkAsync(pending.Target, move.Next.ToString(), cancellationToken).ConfigureAwait(false);
        if (!prepared.Succeeded)
        {
            return FailureReply(prepared.Failure, state, context);
        }

        var sent = await enrollments.TextLinkAsync(pending.UserKey, pending.EnrollmentId, context.Phone, context.PhoneKey, pending.Locale, cancellationToken).ConfigureAwait(false);
        return sent.Succeeded ? context.Reply(ReplyKey.AppLinkSent) : FailureReply(sent.Failure, move.Next, context);
    }

    private async Task<BotReply?> CompleteAsync(string policy, ConversationState state, BotContext context, CancellationToken cancellationToken)
    {
        var completed = await setup.CompleteAsync(context.Pending!.Target, policy, acknowledged: true, cancellationToken).ConfigureAwait(false);
        return completed.Succeeded ? context.Reply(ReplyKey.Done) : FailureReply(completed.Failure, state, context);
    }

    /// <summary>An expected "no" from a Core step, as a reply that says what to do next.</summary>
    internal static BotReply? FailureReply(Failure failure, ConversationState state, BotContext context) => failure.Kind switch
    {
        FailureKind.WrongCode => context.Reply(ReplyKey.CodeWrong, failure.AttemptsLeft ?? 0),
        FailureKind.Locked => context.Reply(ReplyKey.Locked),
        FailureKind.Gone when state is ConversationState.AwaitingSmsCode => context.Reply(ReplyKey.CodeExpired),
        FailureKind.Gone or FailureKind.Unauthorized => context.Prompt(ConversationState.NotStarted),
        FailureKind.Conflict when state is ConversationState.AwaitingAppCode => context.Reply(ReplyKey.NeedAppFirst),
        FailureKind.RateLimited => context.Reply(ReplyKey.TooManyTexts, Minutes(failure.RetryAfter)),
        FailureKind.OptedOut => null,
        FailureKind.Undeliverable or FailureKind.Unavailable => context.Reply(ReplyKey.SendFailed),
        _ => context.Prompt(state),
    };

    private static int Minutes(TimeSpan? wait) => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.FromMinutes(1)).TotalMinutes));
}
