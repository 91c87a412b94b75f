using Serverless2FA.Client;
using Serverless2FA.ClientTests.Infrastructure;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests;

/// <summary>Replacing a factor (a new phone) through the client: the step-up outcomes are values.</summary>
[Collection(ClientCollection.Name)]
public sealed class StepUpTests(ClientFixture fixture)
{
    private IServerless2FAClient Service => fixture.Service;

    [Fact]
    public async Task ChangePhone_WithAFreshApprovedVerification_TextsTheNewPhone()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var approved = Assert.IsType<VerificationCheck.Approved>(await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode()));
        var newPhone = SetupDriver.NewPhone();

        var started = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(user.UserId) { Phone = newPhone, StepUp = approved.VerificationId });

        Assert.IsType<EnrollmentStart.LinkSent>(started);
        Assert.Single(fixture.Twilio.MessagesTo(newPhone));
    }

    [Fact]
    public async Task ChangePhone_WithoutAStepUp_IsStepUpRequired_AndWithAStaleOrUsedOne_IsStepUpRejected()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var unapproved = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var approved = (VerificationCheck.Approved)await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode());

        var without = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(user.UserId) { Phone = SetupDriver.NewPhone() });
        var notApproved = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(user.UserId) { Phone = SetupDriver.NewPhone(), StepUp = unapproved.VerificationId });
        var first = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(user.UserId) { Phone = SetupDriver.NewPhone(), StepUp = approved.VerificationId });
        var reused = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(user.UserId) { Phone = SetupDriver.NewPhone(), StepUp = approved.VerificationId });

        Assert.Equal(ProblemCodes.AlreadyEnrolled, Assert.IsType<EnrollmentStart.StepUpRequired>(without).Problem.Code);
        Assert.Equal(403, Assert.IsType<EnrollmentStart.StepUpRejected>(notApproved).Problem.Status);
        Assert.IsType<EnrollmentStart.LinkSent>(first);
        Assert.Equal(ProblemCodes.StepUpInvalid, Assert.IsType<EnrollmentStart.StepUpRejected>(reused).Problem.Code);
    }
}
