using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Enrollment;
using Serverless2FA.IntegrationTests.LocalHost;
using Serverless2FA.IntegrationTests.Verification;
using Serverless2FA.WorkerTests.Infrastructure;

namespace Serverless2FA.WorkerTests;

// The integration suites, unchanged, against the real worker: each class below only picks the fixture.

[Collection(WorkerCollection.Name)]
public sealed class LinkFlowTestsOnWorker(WorkerServiceFixture fixture) : LinkFlowTests(fixture);

[Collection(WorkerCollection.Name)]
public sealed class VerificationFlowTestsOnWorker(WorkerServiceFixture fixture) : VerificationFlowTests(fixture);

[Collection(WorkerCollection.Name)]
public sealed class VerificationRaceTestsOnWorker(WorkerServiceFixture fixture) : VerificationRaceTests(fixture);

[Collection(SecondWorkerCollection.Name)]
public sealed class StartEnrollmentTestsOnWorker(WorkerServiceFixture fixture) : StartEnrollmentTests(fixture);

[Collection(SecondWorkerCollection.Name)]
public sealed class TwilioWebhookTestsOnWorker(WorkerServiceFixture fixture) : TwilioWebhookTests(fixture);

[Collection(SecondWorkerCollection.Name)]
public sealed class NothingSecretLeaksTestsOnWorker(WorkerServiceFixture fixture) : NothingSecretLeaksTests(fixture);

/// <summary>openapi.yaml against the functions the worker itself reported when the host asked for its metadata.</summary>
[Collection(SecondWorkerCollection.Name)]
public sealed class OpenApiContractTestsOnWorker(WorkerServiceFixture fixture) : OpenApiContractTests
{
    protected override IReadOnlyList<HttpFunctionRoute> HttpFunctions()
        => [.. fixture.Host.Functions.Where(f => f.IsHttp).Select(f => new HttpFunctionRoute(f.Name, f.Http!.Template, f.Http.Methods))];
}
