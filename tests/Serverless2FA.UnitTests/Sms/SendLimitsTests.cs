using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Serverless2FA.UnitTests.Sms;

public sealed class SendLimitsTests
{
    [Fact]
    public async Task Text_ToACountryNoLongerAllowed_IsRefusedBeforeAnythingIsCounted()
    {
        // Storage points nowhere: the refusal must come before any count is read or written.
        var sms = MsOptions.Create(new SmsOptions { AllowedCountries = "US,CA" });
        var tables = new Tables(new TableServiceClient("UseDevelopmentStorage=true"), MsOptions.Create(new StorageOptions()));
        var time = new FakeTimeProvider();
        var limits = new SendLimits(tables, new Optimistic(tables, new ExpiryIndex(tables, time), time), new PhoneNumberPolicy(sms), time, sms);

        var refused = await limits.ReserveAsync("+447400123456", "uuser", CancellationToken.None);

        Assert.Equal(FailureKind.Undeliverable, refused?.Kind);
        Assert.DoesNotContain("7400123456", refused!.Detail);
    }

    [Theory]
    [InlineData("+12015550123", "US", 1)]
    [InlineData("+447400123456", "GB", 44)]
    [InlineData("not a number", null, 0)]
    public void Describe_ReadsRegionAndCallingCode(string e164, string? region, int countryCode)
        => Assert.Equal((region, countryCode), PhoneNumberPolicy.Describe(e164));
}
