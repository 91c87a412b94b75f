using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Enrollment;

/// <summary>"Text me a link": the relying app starts an enrollment for one of its users (an enrolled one's with a step-up).</summary>
public sealed class StartEnrollment(EnrollmentService enrollments)
{
    [Function(nameof(StartEnrollment))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/enrollments")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<Body>(req, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var request = new Core.Enrollments.StartEnrollment(body!.UserId, body.Phone, body.Policy, body.Locale, body.StepUp);
        var result = await enrollments.StartAsync(request, cancellationToken).ConfigureAwait(false);
        return result.ToHttp(req, StatusCodes.Status202Accepted);
    }

    public sealed class Body
    {
        public string? UserId { get; set; }
        public string? Phone { get; set; }
        public string? Policy { get; set; }
        public string? Locale { get; set; }

        /// <summary>For a user who is enrolled already: a verification they approved just now (replacing the factor).</summary>
        public string? StepUp { get; set; }
    }
}
