using Serverless2FA.Bot.Keywords;

namespace Serverless2FA.Bot.Conversation;

/// <summary>The action for a text in a state, and the state it leads to when the action succeeds.</summary>
public readonly record struct Move(BotAction Action, ConversationState Next);

/// <summary>
/// Every allowed move of the conversation, in one table. <see cref="Decide"/> is the one place that turns down
/// a move the state does not allow; the bot never changes state except along a move from here.
/// </summary>
public static class ConversationRules
{
    private static readonly Dictionary<(ConversationState, Intent), Move> Moves = Build();

    public static Move Decide(ConversationState state, Intent intent)
        => Moves.TryGetValue((state, intent), out var move) ? move : new Move(BotAction.Reject, state);

    /// <summary>True when <paramref name="intent"/> moves the conversation on from <paramref name="state"/>.</summary>
    public static bool Allows(ConversationState state, Intent intent) => Moves.ContainsKey((state, intent));

    private static Dictionary<(ConversationState, Intent), Move> Build()
    {
        var moves = new Dictionary<(ConversationState, Intent), Move>();
        void Add(ConversationState from, Intent intent, BotAction action, ConversationState to) => moves[(from, intent)] = new Move(action, to);

        foreach (var state in Enum.GetValues<ConversationState>())
        {
            // Understood in every state: they report, or end things, and never skip a step.
            Add(state, Intent.Status, BotAction.Status, state);
            Add(state, Intent.Help, BotAction.Help, state);
            Add(state, Intent.OptOut, BotAction.OptOut, state);
            Add(state, Intent.Start, state == ConversationState.NotStarted ? BotAction.ExplainHowToBegin : BotAction.Resume, state);
            // A new join code from the app starts over, whatever this phone was doing.
            Add(state, Intent.Join, BotAction.Join, ConversationState.ChoosingMethod);
            var cancellable = state is not (ConversationState.NotStarted or ConversationState.Completed);
            Add(state, Intent.Cancel, BotAction.Cancel, cancellable ? ConversationState.NotStarted : state);
        }

        Add(ConversationState.ChoosingMethod, Intent.One, BotAction.SendSmsCode, ConversationState.AwaitingSmsCode);
        Add(ConversationState.ChoosingMethod, Intent.Two, BotAction.SendAppLink, ConversationState.AwaitingAppCode);

        // Waiting for a code: "1" again texts a new code, "2" switches to the app (and the other way round).
        Add(ConversationState.AwaitingSmsCode, Intent.Code, BotAction.VerifyCode, ConversationState.AwaitingSaved);
        Add(ConversationState.AwaitingSmsCode, Intent.One, BotAction.SendSmsCode, ConversationState.AwaitingSmsCode);
        Add(ConversationState.AwaitingSmsCode, Intent.Two, BotAction.SendAppLink, ConversationState.AwaitingAppCode);
        Add(ConversationState.AwaitingAppCode, Intent.Code, BotAction.VerifyCode, ConversationState.AwaitingSaved);
        Add(ConversationState.AwaitingAppCode, Intent.Two, BotAction.SendAppLink, ConversationState.AwaitingAppCode);
        Add(ConversationState.AwaitingAppCode, Intent.One, BotAction.SendSmsCode, ConversationState.AwaitingSmsCode);

        Add(ConversationState.AwaitingSaved, Intent.Saved, BotAction.ConfirmSaved, ConversationState.ChoosingPolicy);
        Add(ConversationState.ChoosingPolicy, Intent.One, BotAction.ChoosePolicy, ConversationState.Completed);
        Add(ConversationState.ChoosingPolicy, Intent.Two, BotAction.ChoosePolicy, ConversationState.Completed);
        return moves;
    }
}
