using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Factors;
using Serverless2FA.UnitTests.Crypto;

namespace Serverless2FA.UnitTests.Factors;

public sealed class TextedCodeFactorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TextedCodeFactor _factor = new(new KeyRing(new InMemorySecrets()));

    [Fact]
    public async Task Issue_TextsSixDigits_AndStoresOnlyASaltedHash()
    {
        var issued = await _factor.IssueAsync(Now.AddMinutes(10), default);

        Assert.Matches("^[0-9]{6}$", issued.Code);
        Assert.DoesNotContain(issued.Code, issued.Stored.Hash + issued.Stored.Salt);
        Assert.Equal(Now.AddMinutes(10), issued.Stored.ExpiresAt);
        Assert.NotEqual(issued.Stored.Salt, (await _factor.IssueAsync(Now, default)).Stored.Salt);
    }

    [Fact]
    public async Task TheRightCode_IsAccepted_WithoutUsingATry()
    {
        var issued = await _factor.IssueAsync(Now.AddMinutes(10), default);

        Assert.Equal(new TextedCodeCheck(TextedCodeOutcome.Accepted, 3), await _factor.CheckAsync(issued.Stored, issued.Code, Now, 3, default));
    }

    [Fact]
    public async Task AWrongCode_IsWrong_AndUsesATry()
    {
        var issued = await _factor.IssueAsync(Now.AddMinutes(10), default);

        Assert.Equal(new TextedCodeCheck(TextedCodeOutcome.Wrong, 2), await _factor.CheckAsync(issued.Stored, Other(issued.Code), Now, 3, default));
    }

    [Fact]
    public async Task TheRightCode_AtItsExpiry_IsExpired()
    {
        var issued = await _factor.IssueAsync(Now, default);

        Assert.Equal(TextedCodeOutcome.Expired, (await _factor.CheckAsync(issued.Stored, issued.Code, Now, 3, default)).Outcome);
        Assert.Equal(TextedCodeOutcome.Accepted, (await _factor.CheckAsync(issued.Stored, issued.Code, Now.AddTicks(-1), 3, default)).Outcome);
    }

    [Fact]
    public async Task TheRightCode_WithNoTriesLeft_IsRefusedUncompared()
    {
        var issued = await _factor.IssueAsync(Now.AddMinutes(10), default);

        Assert.Equal(new TextedCodeCheck(TextedCodeOutcome.Locked, 0), await _factor.CheckAsync(issued.Stored, issued.Code, Now, 0, default));
    }

    [Fact]
    public async Task AHashFromAnotherKey_DoesNotMatch()
    {
        var issued = await _factor.IssueAsync(Now.AddMinutes(10), default);
        var elsewhere = new TextedCodeFactor(new KeyRing(new InMemorySecrets()));

        Assert.Equal(TextedCodeOutcome.Wrong, (await elsewhere.CheckAsync(issued.Stored, issued.Code, Now, 3, default)).Outcome);
    }

    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
