using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Secrets;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using SystemNetHttpClient = Twilio.Http.SystemNetHttpClient;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// Sends texts through Twilio's Messages API with the Twilio SDK. Refusals Twilio states about the number come back
/// as values; throttling and outages are retried a little and then reported as <see cref="SmsSendStatus.Unavailable"/>.
/// The body is never logged (it holds codes and links) and the number only masked.
/// </summary>
public sealed partial class TwilioSmsSender(
    IHttpClientFactory httpClients,
    ISecretStore secrets,
    IOptionsMonitor<TwilioOptions> twilioOptions,
    IOptionsMonitor<ServiceOptions> serviceOptions,
    IOptionsMonitor<SmsOptions> smsOptions,
    TimeProvider timeProvider,
    ILogger<TwilioSmsSender> logger) : ISmsSender
{
    public const string ModeName = "twilio";
    public const string StatusCallbackPath = "api/twilio/status";

    /// <summary>The named <see cref="HttpClient"/> the SDK sends through (with the <see cref="TwilioApiBaseUrlHandler"/>).</summary>
    public const string HttpClientName = "twilio";

    /// <summary>Tries in all, the first included.</summary>
    internal const int MaxAttempts = 3;

    internal static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);

    public string Mode => ModeName;

    /// <summary>
    /// How long one try may wait for Twilio (the <see cref="HttpClient.Timeout"/> of the client the SDK is given): a
    /// third of <see cref="TwilioOptions.SendBudget"/>, so that a hung Twilio still leaves room for a retry.
    /// </summary>
    public static TimeSpan TryTimeout(TimeSpan sendBudget) => sendBudget / MaxAttempts;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = await CreateClientAsync(cancellationToken).ConfigureAwait(false);
        var options = CreateOptions(message);
        var maskedTo = PhoneMask.Mask(message.To);
        var purpose = message.Purpose;
        var budget = twilioOptions.CurrentValue.SendBudget;
        var started = timeProvider.GetTimestamp();

        for (var attempt = 1; ; attempt++)
        {
            string retryReason;
            try
            {
                // The SDK takes no CancellationToken; WaitAsync at least stops the caller waiting.
                var sent = await MessageResource.CreateAsync(options, client).WaitAsync(cancellationToken).ConfigureAwait(false);
                LogSent(logger, purpose, maskedTo, sent.Sid);
                return new SmsSendResult(SmsSendStatus.Sent, sent.Sid);
            }
            catch (ApiException ex) when (RefusalFor(ex.Code) is { } refusal)
            {
                logger.LogWarning(
                    "Twilio refused {Purpose} text to {To}: error {ErrorCode} ({Outcome})", purpose, maskedTo, ex.Code, refusal);
                return new SmsSendResult(refusal, ErrorCode: ex.Code);
            }
            catch (ApiException ex) when (IsTransient(ex.Status))
            {
                // 429: Twilio did not accept the message, so sending again cannot duplicate it. 5xx: Twilio may, rarely,
                // have queued the message before failing; a retry can then deliver it twice. A duplicate code text
                // is cheaper than a person left waiting for one that never comes.
                retryReason = ex.Status == 0 ? "an unreadable answer" : $"status {ex.Status}";
            }
            catch (ApiException ex) when (ex.Status is 401 or 403)
            {
                logger.LogError("Twilio rejected the account credentials: error {ErrorCode}, status {Status}", ex.Code, ex.Status);
                throw new InvalidOperationException(
                    $"Twilio rejected the account credentials (error {ex.Code}, status {ex.Status}). Check Twilio:AccountSid and the auth token ({SecretNames.TwilioAuthToken}).");
            }
            catch (ApiException ex)
            {
                // Not about the number and not transient: a configuration fault (sender, account, ...). The SDK's
                // message can quote the number, so only the code goes into the exception.
                logger.LogError(
                    "Twilio refused {Purpose} text to {To}: error {ErrorCode}, status {Status}, see {MoreInfo}",
                    purpose, maskedTo, ex.Code, ex.Status, ex.MoreInfo);
                throw new InvalidOperationException(
                    $"Twilio refused the message (error {ex.Code}, status {ex.Status}); see {ex.MoreInfo}.");
            }
            catch (ApiConnectionException ex)
            {
                // The SDK wraps whatever the HttpClient threw, its per-try timeout included.
                retryReason = ex.InnerException is OperationCanceledException ? "no answer in time" : "a connection failure";
            }

            var delay = Backoff(attempt);
            // A retry is made only when a whole try still fits in the send budget, so the send ends within it.
            if (attempt >= MaxAttempts || timeProvider.GetElapsedTime(started) + delay + TryTimeout(budget) > budget)
            {
                logger.LogWarning(
                    "Twilio unavailable for {Purpose} text to {To} after {Attempts} tries; last: {Reason}",
                    purpose, maskedTo, attempt, retryReason);
                return new SmsSendResult(SmsSendStatus.Unavailable);
            }

            LogRetrying(logger, retryReason, purpose, maskedTo, attempt + 1, MaxAttempts, delay);
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential backoff with jitter: after try n, wait between half and all of BaseDelay·2^(n-1).</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        var ceiling = BaseDelay * Math.Pow(2, attempt - 1);
        var half = (long)(ceiling.TotalMilliseconds / 2);
        return TimeSpan.FromMilliseconds(half + RandomNumberGenerator.GetInt32(0, (int)half + 1));
    }

    internal static SmsSendStatus? RefusalFor(int errorCode) => errorCode switch
    {
        21610 => SmsSendStatus.OptedOut, // the person texted STOP
        21211 // invalid 'To' number
            or 21217 // number does not appear valid
            or 21401 // invalid phone number
            or 21408 // region not enabled for this account
            or 21612 // cannot route to this number
            or 21614 => SmsSendStatus.InvalidNumber, // not a mobile number
        _ => null,
    };

    // Status 0 is the SDK's way of saying the error body was not Twilio's JSON: typically a proxy's 502 page.
    private static bool IsTransient(int status) => status is 429 or >= 500 or 0;

    private CreateMessageOptions CreateOptions(SmsMessage message)
    {
        var twilio = twilioOptions.CurrentValue;
        var publicBaseUrl = serviceOptions.CurrentValue.PublicBaseUrl.AbsoluteUri.TrimEnd('/');
        var options = new CreateMessageOptions(new PhoneNumber(message.To))
        {
            Body = message.Body,
            StatusCallback = new Uri($"{publicBaseUrl}/{StatusCallbackPath}"),
            // Sms:MaxPrice: the most the message may cost; Twilio does not send it when the route costs more.
            MaxPrice = smsOptions.CurrentValue.MaxPrice,
        };

        // A Messaging Service picks the sender itself (and handles sender pools), so it wins when both are set.
        if (!string.IsNullOrWhiteSpace(twilio.MessagingServiceSid))
        {
            options.MessagingServiceSid = twilio.MessagingServiceSid;
        }
        else if (!string.IsNullOrWhiteSpace(twilio.FromNumber))
        {
            options.From = new PhoneNumber(twilio.FromNumber);
        }
        else
        {
            throw new InvalidOperationException("Twilio needs a sender: set Twilio:FromNumber or Twilio:MessagingServiceSid.");
        }

        return options;
    }

    private async Task<TwilioRestClient> CreateClientAsync(CancellationToken cancellationToken)
    {
        // Read per send: the secret store caches, and a rotated auth token is picked up without a restart.
        var twilio = twilioOptions.CurrentValue;
        var accountSid = NullIfBlank(twilio.AccountSid)
            ?? await secrets.GetAsync(SecretNames.TwilioAccountSid, cancellationToken).ConfigureAwait(false);
        var authToken = NullIfBlank(twilio.AuthToken)
            ?? await secrets.GetAsync(SecretNames.TwilioAuthToken, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(accountSid) || string.IsNullOrWhiteSpace(authToken))
        {
            throw new InvalidOperationException(
                $"Twilio credentials are missing: set Twilio:AccountSid and Twilio:AuthToken, or the secrets {SecretNames.TwilioAccountSid} and {SecretNames.TwilioAuthToken}.");
        }

        // A SystemNetHttpClient per send: it keeps the last request and response, so sharing one would mix sends.
        return new TwilioRestClient(accountSid, authToken, httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Purpose} text to {To} as {MessageSid}")]
    private static partial void LogSent(ILogger logger, string purpose, string to, string messageSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio answered {Reason} for {Purpose} text to {To}; try {Attempt} of {MaxAttempts} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string reason, string purpose, string to, int attempt, int maxAttempts, TimeSpan delay);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
