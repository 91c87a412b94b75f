using System.Net;
using System.Net.Http.Json;
using Polly.Timeout;
using Serverless2FA.Client.Http;

namespace Serverless2FA.Client;

/// <summary>The typed client over <see cref="HttpClient"/>; register it with <c>AddServerless2FAClient</c>.</summary>
public sealed partial class Serverless2FAClient(HttpClient http, TimeProvider time) : IServerless2FAClient
{
    /// <inheritdoc />
    public async Task<EnrollmentStart> StartEnrollmentAsync(StartEnrollmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var retry = request.StepUp is null ? RetryWhen.Always : RetryWhen.Never;
        using var response = await SendAsync(HttpMethod.Post, "api/enrollments", request, retry, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            var body = await ReadAsync<EnrollmentStartedBody>(response, cancellationToken).ConfigureAwait(false);
            return body.JoinCode is not null && body.SmsNumber is not null
                ? new EnrollmentStart.AwaitingText(body.EnrollmentId, body.JoinCode, body.SmsNumber, body.ExpiresAt)
                : new EnrollmentStart.LinkSent(body.EnrollmentId, body.ExpiresAt);
        }

        var problem = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        return problem switch
        {
            { Status: 409 } when problem.Is(ProblemCodes.AlreadyEnrolled) => new EnrollmentStart.StepUpRequired(problem),
            { Status: 403 } when problem.Is(ProblemCodes.StepUpInvalid) => new EnrollmentStart.StepUpRejected(problem),
            _ => throw new Serverless2FAProblemException(problem),
        };
    }

    /// <inheritdoc />
    public async Task<VerificationStart> StartVerificationAsync(string userId, string? deviceToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var response = await SendAsync(HttpMethod.Post, "api/verifications", new StartVerificationBody(userId, deviceToken), RetryWhen.Unavailable, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            var body = await ReadAsync<VerificationStartedBody>(response, cancellationToken).ConfigureAwait(false);
            return body.Required
                ? new VerificationStart.Required(body.VerificationId, body.Method, body.ExpiresAt)
                : new VerificationStart.NotRequired(body.VerificationId, body.Method);
        }

        var problem = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        return problem.Status switch
        {
            404 => new VerificationStart.NotEnrolled(problem),
            423 => new VerificationStart.Locked(problem.RetryAfter, problem),
            // A cooldown: the code texted moments ago is still pending (its verificationId comes with the answer).
            429 => new VerificationStart.CodeNotSent(problem.VerificationId, problem),
            // The text failed, but the verification stands for an emergency code.
            409 or 422 or 503 when problem.VerificationId is not null => new VerificationStart.CodeNotSent(problem.VerificationId, problem),
            _ => throw new Serverless2FAProblemException(problem),
        };
    }

    /// <inheritdoc />
    public async Task<VerificationCheck> CheckVerificationAsync(string verificationId, string userId, string code, bool rememberDevice = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(verificationId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(code);
        var body = new CheckVerificationBody(userId, code, rememberDevice ? true : null);
        using var response = await SendAsync(HttpMethod.Post, $"api/verifications/{Escape(verificationId)}/check", body, RetryWhen.Never, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            var outcome = await ReadAsync<CheckBody>(response, cancellationToken).ConfigureAwait(false);
            return outcome.Status == "approved"
                ? new VerificationCheck.Approved(
                    outcome.UserId ?? userId, outcome.VerificationId ?? verificationId, outcome.Method, outcome.DeviceToken,
                    outcome.UsedEmergencyCode == true, outcome.EmergencyCodesLeft)
                : new VerificationCheck.Denied(outcome.AttemptsLeft ?? 0);
        }

        var problem = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        return problem.Status switch
        {
            404 => new VerificationCheck.NotFound(problem),
            410 => new VerificationCheck.Expired(problem),
            423 => new VerificationCheck.Locked(problem.RetryAfter, problem),
            400 when problem.Errors.Keys.All(field => field == "code") && problem.Errors.Count > 0 => new VerificationCheck.InvalidCode(problem),
            _ => throw new Serverless2FAProblemException(problem),
        };
    }

    /// <inheritdoc />
    public async Task<TwoFactorStatus> GetTwoFactorStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, UserPath(userId, "two-factor"), null, RetryWhen.Always, cancellationToken).ConfigureAwait(false);
        return await ReadOrThrowAsync<TwoFactorStatus>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DisableTwoFactorAsync(string userId, CancellationToken cancellationToken = default)
        => SendOrThrowAsync(HttpMethod.Delete, UserPath(userId, "two-factor"), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RenewEmergencyCodesAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, UserPath(userId, "two-factor/emergency-codes"), null, RetryWhen.Unavailable, cancellationToken).ConfigureAwait(false);
        return (await ReadOrThrowAsync<EmergencyCodesBody>(response, cancellationToken).ConfigureAwait(false)).EmergencyCodes;
    }

    /// <inheritdoc />
    public Task ResetTwoFactorLockAsync(string userId, CancellationToken cancellationToken = default)
        => SendOrThrowAsync(HttpMethod.Delete, UserPath(userId, "two-factor/lock"), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetTwoFactorAuditAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, UserPath(userId, "two-factor/audit"), null, RetryWhen.Always, cancellationToken).ConfigureAwait(false);
        return (await ReadOrThrowAsync<AuditBody>(response, cancellationToken).ConfigureAwait(false)).Events;
    }

    /// <inheritdoc />
    public Task ForgetDevicesAsync(string userId, CancellationToken cancellationToken = default)
        => SendOrThrowAsync(HttpMethod.Delete, UserPath(userId, "devices"), cancellationToken);

    /// <inheritdoc />
    public async Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/health", null, RetryWhen.Never, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            return await ReadAsync<HealthReport>(response, cancellationToken).ConfigureAwait(false);
        }

        throw new Serverless2FAProblemException(await ProblemAsync(response, cancellationToken).ConfigureAwait(false));
    }

    private async Task SendOrThrowAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, null, RetryWhen.Always, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new Serverless2FAProblemException(await ProblemAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, RetryWhen retry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Options.Set(RetryWhenRequestOption.Key, retry);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        }
        else if (method == HttpMethod.Post)
        {
            // The service reads JSON bodies only; a POST that carries nothing sends an empty object.
            request.Content = JsonContent.Create(new { }, options: ApiJson.Options);
        }

        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new Serverless2FAUnavailableException($"Serverless2FA could not be reached ({method} {path}).", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new Serverless2FAUnavailableException($"Serverless2FA did not answer in time ({method} {path}).", ex);
        }
    }

    private async Task<T> ReadOrThrowAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => response.IsSuccessStatusCode
            ? await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false)
            : throw new Serverless2FAProblemException(await ProblemAsync(response, cancellationToken).ConfigureAwait(false));

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken).ConfigureAwait(false)
           ?? throw new Serverless2FAUnavailableException($"Serverless2FA answered {(int)response.StatusCode} with an empty body.");

    private Task<Problem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => ProblemReader.ReadAsync(response, time, cancellationToken);

    private static string UserPath(string userId, string rest)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return $"api/users/{Escape(userId)}/{rest}";
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
