using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Crypto;
using Serverless2FA.UnitTests.Crypto;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Sms.Budgets;
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
        var optimistic = new Optimistic(tables, new ExpiryIndex(tables, time), time);
        var pumping = new PumpingGuard(tables, optimistic, new KeyRing(new InMemorySecrets()), time, sms, NullLogger<PumpingGuard>.Instance);
        var budgets = new SendBudgets(tables, optimistic, new PhoneNumberPolicy(sms), pumping, time, sms, NullLogger<SendBudgets>.Instance);

        var refused = await budgets.ReserveAsync("+447400123456", "pphone", "uuser", SmsPurpose.Enrollment, CancellationToken.None);

        Assert.Equal(FailureKind.Undeliverable, refused.Failure?.Kind);
        Assert.DoesNotContain("7400123456", refused.Failure!.Detail);
    }

    [Theory]
    [InlineData("+12015550123", "US", 1)]
    [InlineData("+14165550123", "CA", 1)]
    [InlineData("+447400123456", "GB", 44)]
    [InlineData("not a number", null, 0)]
    public void Describe_ReadsRegionAndCallingCode(string e164, string? region, int countryCode)
        => Assert.Equal((region, countryCode), PhoneNumberPolicy.Describe(e164));
}
