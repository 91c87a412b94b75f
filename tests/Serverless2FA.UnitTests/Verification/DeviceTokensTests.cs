using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.UnitTests.Verification;

public sealed class DeviceTokensTests
{
    private static readonly VerificationOptions Options = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Token_HasAtLeast128RandomBits_AndIsStoredOnlyAsAHash()
    {
        var token = DeviceTokens.NewToken();

        Assert.True(token.Length * 6 >= 256);
        Assert.True(DeviceTokens.IsWellFormed(token));
        var row = DeviceTokens.RowKeyOf(token);
        Assert.StartsWith(DeviceEntity.RowPrefix, row);
        Assert.DoesNotContain(token, row);
        Assert.NotEqual(token, DeviceTokens.NewToken());
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(30 * 24 * 60 - 1, true)]
    [InlineData(30 * 24 * 60, false)]
    [InlineData(30 * 24 * 60 + 1, false)]
    public void Token_LivesThirtyDays(int minutesLater, bool live)
    {
        var device = new DeviceEntity { CreatedAt = _time.GetUtcNow(), ExpiresAt = _time.GetUtcNow() + Options.DeviceTtl };

        _time.Advance(TimeSpan.FromMinutes(minutesLater));

        Assert.Equal(live, DeviceTokens.IsLive(device, _time.GetUtcNow()));
    }

    [Fact]
    public void Remembering_AnEleventh_DropsTheOldest_AndAnyExpired()
    {
        var now = _time.GetUtcNow();
        var devices = Enumerable.Range(0, 10)
            .Select(i => new DeviceEntity { RowKey = "dev-" + i, CreatedAt = now.AddDays(-10 + i), ExpiresAt = now.AddDays(20 + i) })
            .Append(new DeviceEntity { RowKey = "dev-old", CreatedAt = now.AddDays(-40), ExpiresAt = now.AddDays(-10) })
            .ToList();

        var dropped = DeviceTokens.ToDrop(devices, now, Options.MaxDevices);

        Assert.Equal(["dev-old", "dev-0"], dropped.Select(d => d.RowKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/in/it")]
    public void MalformedTokens_AreNeverLookedUp(string? token) => Assert.False(DeviceTokens.IsWellFormed(token));
}
