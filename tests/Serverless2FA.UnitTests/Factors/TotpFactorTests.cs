using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Serverless2FA.Core.Factors;

namespace Serverless2FA.UnitTests.Factors;

public sealed class TotpFactorTests
{
    private static readonly byte[] Rfc6238Seed = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 Appendix B, SHA-1 column; a 6-digit code is the last six digits of the 8-digit value.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Check_WithRfc6238Vector_IsAcceptedAtItsStep(long unixSeconds, string eightDigits)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
        var factor = new TotpFactor(time);

        var check = factor.Check(Rfc6238Seed, eightDigits[2..], lastAcceptedStep: 0);

        Assert.Equal(TotpOutcome.Accepted, check.Outcome);
        Assert.Equal(unixSeconds / 30, check.MatchedStep);
        Assert.Equal(eightDigits, new OtpNet.Totp(Rfc6238Seed, 30, OtpHashMode.Sha1, 8).ComputeTotp(time.GetUtcNow().UtcDateTime));
    }

    [Theory]
    [InlineData(-2, TotpOutcome.Wrong)]
    [InlineData(-1, TotpOutcome.Accepted)]
    [InlineData(0, TotpOutcome.Accepted)]
    [InlineData(1, TotpOutcome.Accepted)]
    [InlineData(2, TotpOutcome.Wrong)]
    public void Check_AcceptsOneStepEitherSide_AndNoMore(int stepOffset, TotpOutcome expected)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var time = new FakeTimeProvider(now);
        var seed = TotpFactor.NewSeed();
        var codeAt = new OtpNet.Totp(seed).ComputeTotp(now.AddSeconds(30 * stepOffset).UtcDateTime);

        var check = new TotpFactor(time).Check(seed, codeAt, lastAcceptedStep: 0);

        Assert.Equal(expected, check.Outcome);
        if (expected == TotpOutcome.Accepted)
        {
            Assert.Equal(now.ToUnixTimeSeconds() / 30 + stepOffset, check.MatchedStep);
        }
    }

    [Fact]
    public void Check_WithReusedTimeStep_IsReplayed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var factor = new TotpFactor(time);
        var seed = TotpFactor.NewSeed();
        var code = factor.CodeNow(seed);

        var first = factor.Check(seed, code, lastAcceptedStep: 0);
        var second = factor.Check(seed, code, lastAcceptedStep: first.MatchedStep);

        Assert.Equal(TotpOutcome.Accepted, first.Outcome);
        Assert.Equal(TotpOutcome.Replayed, second.Outcome);
    }

    [Fact]
    public void Check_WithOlderStepThanLastAccepted_IsReplayed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var factor = new TotpFactor(time);
        var seed = TotpFactor.NewSeed();
        var previousStepCode = new OtpNet.Totp(seed).ComputeTotp(time.GetUtcNow().AddSeconds(-30).UtcDateTime);

        var check = factor.Check(seed, previousStepCode, lastAcceptedStep: 1_800_000_000 / 30);

        Assert.Equal(TotpOutcome.Replayed, check.Outcome);
    }

    [Fact]
    public void NewSeed_Is160Bits_AndFresh()
    {
        var a = TotpFactor.NewSeed();
        var b = TotpFactor.NewSeed();
        Assert.Equal(20, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void OtpauthUri_HasKeyUriFormat()
    {
        var uri = TotpFactor.OtpauthUri("Acme Corp", "ending 0123", "JBSWY3DPEHPK3PXP");

        Assert.Equal("otpauth://totp/Acme%20Corp:ending%200123?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void QrSvg_IsAnSvgDocument_WhoseModulesDecodeToTheUri()
    {
        const string uri = "otpauth://totp/Acme:ending%200123?secret=JBSWY3DPEHPK3PXP&issuer=Acme&algorithm=SHA1&digits=6&period=30";

        var svg = System.Xml.Linq.XDocument.Parse(QrCodes.Svg(uri)).Root!;

        Assert.Equal("svg", svg.Name.LocalName);
        // It scales to its container: a view box, no fixed size.
        var size = int.Parse(svg.Attribute("viewBox")!.Value.Split(' ')[2], CultureInfo.InvariantCulture);
        Assert.Null(svg.Attribute("width"));
        var modules = new ZXing.Common.BitMatrix(size - 2 * QuietZone);
        var path = svg.Elements().Single(e => e.Name.LocalName == "path").Attribute("d")!.Value;
        foreach (Match run in Regex.Matches(path, @"M(\d+) (\d+)h(\d+)v1h-\3z"))
        {
            var (x, y, width) = (int.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(run.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(run.Groups[3].Value, CultureInfo.InvariantCulture));
            modules.setRegion(x - QuietZone, y - QuietZone, width, 1);
        }

        // Read back by an independent QR decoder, as an authenticator app's camera would.
        var decoded = new ZXing.QrCode.Internal.Decoder().decode(modules, null);

        Assert.Equal(uri, decoded?.Text);
    }

    /// <summary>The light border a QR code needs around it, in modules.</summary>
    private const int QuietZone = 4;
}
