using Serverless2FA.Bot.Conversation;
using Serverless2FA.Bot.Keywords;
using Serverless2FA.Core.Enrollments;
using S = Serverless2FA.Bot.Conversation.ConversationState;

namespace Serverless2FA.UnitTests.Bot;

public sealed class ConversationRulesTests
{
    // Every state (rows) × every intent (columns) → the action and the state it leads to on success.
    // Columns: Unknown, Start, Join, Code, One, Two, Saved, Status, Help, Cancel, OptOut.
    private static readonly Dictionary<S, string[]> Expected = new()
    {
        [S.NotStarted] = ["Reject", "ExplainHowToBegin", "Join>ChoosingMethod", "Reject", "Reject", "Reject", "Reject", "Status", "Help", "Cancel", "OptOut"],
        [S.ChoosingMethod] = ["Reject", "Resume", "Join>ChoosingMethod", "Reject", "SendSmsCode>AwaitingSmsCode", "SendAppLink>AwaitingAppCode", "Reject", "Status", "Help", "Cancel>NotStarted", "OptOut"],
        [S.AwaitingSmsCode] = ["Reject", "Resume", "Join>ChoosingMethod", "VerifyCode>AwaitingSaved", "SendSmsCode", "SendAppLink>AwaitingAppCode", "Reject", "Status", "Help", "Cancel>NotStarted", "OptOut"],
        [S.AwaitingAppCode] = ["Reject", "Resume", "Join>ChoosingMethod", "VerifyCode>AwaitingSaved", "SendSmsCode>AwaitingSmsCode", "SendAppLink", "Reject", "Status", "Help", "Cancel>NotStarted", "OptOut"],
        [S.AwaitingSaved] = ["Reject", "Resume", "Join>ChoosingMethod", "Reject", "Reject", "Reject", "ConfirmSaved>ChoosingPolicy", "Status", "Help", "Cancel>NotStarted", "OptOut"],
        [S.ChoosingPolicy] = ["Reject", "Resume", "Join>ChoosingMethod", "Reject", "ChoosePolicy>Completed", "ChoosePolicy>Completed", "Reject", "Status", "Help", "Cancel>NotStarted", "OptOut"],
        [S.Completed] = ["Reject", "Resume", "Join>ChoosingMethod", "Reject", "Reject", "Reject", "Reject", "Status", "Help", "Cancel", "OptOut"],
    };

    public static TheoryData<S, Intent> EveryStateAndIntent()
    {
        var data = new TheoryData<S, Intent>();
        foreach (var state in Enum.GetValues<S>())
        {
            foreach (var intent in Enum.GetValues<Intent>())
            {
                data.Add(state, intent);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndIntent))]
    public void Decide_EveryStateAndIntent_FollowsTheTable(S state, Intent intent)
    {
        var expected = Expected[state][(int)intent].Split('>');
        var move = ConversationRules.Decide(state, intent);

        Assert.Equal(Enum.Parse<BotAction>(expected[0]), move.Action);
        Assert.Equal(expected.Length > 1 ? Enum.Parse<S>(expected[1]) : state, move.Next);
        Assert.Equal(move.Action != BotAction.Reject, ConversationRules.Allows(state, intent));
    }

    [Fact]
    public void Table_CoversEveryIntent() => Assert.All(Expected.Values, row => Assert.Equal(Enum.GetValues<Intent>().Length, row.Length));

    [Fact]
    public void NoMove_SkipsAStep()
    {
        // From any state, the only moves forward are to the next step (or back to the start).
        var order = new[] { S.NotStarted, S.ChoosingMethod, S.AwaitingSmsCode, S.AwaitingSaved, S.ChoosingPolicy, S.Completed };
        foreach (var state in Enum.GetValues<S>())
        {
            foreach (var intent in Enum.GetValues<Intent>())
            {
                var next = ConversationRules.Decide(state, intent).Next;
                Assert.False(next is S.Completed && state is not (S.ChoosingPolicy or S.Completed), $"{state}+{intent} skips to {next}");
                Assert.False(next is S.AwaitingSaved && state is not (S.AwaitingSmsCode or S.AwaitingAppCode or S.AwaitingSaved), $"{state}+{intent} skips to {next}");
            }
        }

        Assert.Equal(6, order.Length);
    }

    [Theory]
    [InlineData(null, null, S.NotStarted)]
    [InlineData(EnrollmentStatus.AwaitingText, null, S.NotStarted)]
    [InlineData(EnrollmentStatus.Cancelled, "AwaitingSmsCode", S.NotStarted)]
    [InlineData(EnrollmentStatus.Expired, "AwaitingSmsCode", S.NotStarted)]
    [InlineData(EnrollmentStatus.Opened, "ChoosingMethod", S.ChoosingMethod)]
    [InlineData(EnrollmentStatus.Opened, "AwaitingSmsCode", S.AwaitingSmsCode)]
    [InlineData(EnrollmentStatus.LinkSent, "AwaitingAppCode", S.AwaitingAppCode)]
    [InlineData(EnrollmentStatus.Opened, "AwaitingAppCode", S.AwaitingAppCode)]
    [InlineData(EnrollmentStatus.Opened, "Completed", S.ChoosingMethod)]
    [InlineData(EnrollmentStatus.Opened, "nonsense", S.ChoosingMethod)]
    [InlineData(EnrollmentStatus.Verified, "AwaitingAppCode", S.AwaitingSaved)]
    [InlineData(EnrollmentStatus.Verified, "ChoosingPolicy", S.ChoosingPolicy)]
    [InlineData(EnrollmentStatus.Completed, "ChoosingPolicy", S.Completed)]
    public void From_StatusAndStep_GivesTheState(EnrollmentStatus? status, string? step, S expected)
        => Assert.Equal(expected, ConversationStates.From(status, step));
}
