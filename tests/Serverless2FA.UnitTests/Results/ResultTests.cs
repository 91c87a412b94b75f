using Serverless2FA.Core.Results;

namespace Serverless2FA.UnitTests.Results;

public sealed class ResultTests
{
    [Fact]
    public void Value_Succeeds_WithTheValue()
    {
        Result<string> result = "done";

        Assert.True(result.Succeeded);
        Assert.Equal(4, result.Value.Length);
        Assert.Null(result.Failure);
    }

    [Fact]
    public void Failure_DoesNotSucceed_AndCarriesIt()
    {
        Result<string> result = new Failure(FailureKind.Gone, "Expired.");

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Gone, result.Failure.Kind);
        Assert.Null(result.Value);
    }

    [Fact]
    public void NullValue_IsRefused_SoSucceededAlwaysMeansAValue()
    {
        Assert.Throws<ArgumentNullException>(() => new Result<IReadOnlyList<string>>(null!));
        Assert.Throws<ArgumentNullException>(() => (Result<string>)(Failure)null!);
    }
}
