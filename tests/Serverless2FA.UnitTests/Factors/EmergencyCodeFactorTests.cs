using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Factors;
using Serverless2FA.UnitTests.Crypto;

namespace Serverless2FA.UnitTests.Factors;

public sealed class EmergencyCodeFactorTests
{
    private readonly EmergencyCodeFactor _factor = new(new KeyRing(new InMemorySecrets()));

    [Fact]
    public async Task Issue_ShowsFiveDistinctCodes_AndStoresOnlyTheirSaltedHashes()
    {
        var issued = await _factor.IssueAsync(default);

        Assert.Equal(EmergencyCodes.Count, issued.Codes.Count);
        Assert.Equal(issued.Codes.Count, issued.Codes.Distinct().Count());
        Assert.All(issued.Codes, c => Assert.Matches("^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$", c));
        Assert.Equal(issued.Codes.Count, issued.Stored.Count);
        Assert.All(issued.Stored, s => Assert.DoesNotContain(s.Hash, issued.Codes));
        Assert.Equal(issued.Stored.Count, issued.Stored.Select(s => s.Salt).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Redeem_FindsWhichCodeMatched_AndHowManyAreLeft(int which)
    {
        var issued = await _factor.IssueAsync(default);

        var match = await _factor.RedeemAsync(issued.Stored, issued.Codes[which], default);

        Assert.Equal(new EmergencyCodeMatch(which, EmergencyCodes.Count - 1), match);
    }

    [Fact]
    public async Task Redeem_OfTheLastStoredCode_LeavesNone()
    {
        var issued = await _factor.IssueAsync(default);

        var match = await _factor.RedeemAsync([issued.Stored[3]], issued.Codes[3], default);

        Assert.Equal(new EmergencyCodeMatch(0, 0), match);
    }

    [Fact]
    public async Task Redeem_OfACodeNotStored_IsNoMatch()
    {
        var issued = await _factor.IssueAsync(default);
        var other = await _factor.IssueAsync(default);

        Assert.Null(await _factor.RedeemAsync(issued.Stored, other.Codes[0], default));
        // A used code is gone from what is stored: it no longer matches.
        Assert.Null(await _factor.RedeemAsync([.. issued.Stored.Skip(1)], issued.Codes[0], default));
    }
}
