using System.Net.Sockets;
using Azure;
using Azure.Identity;

namespace Serverless2FA.Core.Faults;

/// <summary>
/// Tells a dependency fault (Table or Queue Storage, Key Vault, Twilio or the network between) from a bug, however an SDK
/// wrapped it: Azure.Core's "Retry failed after N tries" is an <see cref="AggregateException"/> of the tries' errors,
/// a try that ran out of time is a <see cref="TaskCanceledException"/>, a refused connection a status-0
/// <see cref="RequestFailedException"/>. Core asks it where a fault must not undo what already happened (a text that
/// went out); the HTTP edge asks it to answer 503 rather than 500.
/// </summary>
public static class DependencyFaults
{
    public static bool Is(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(Is),
        RequestFailedException failed => IsDependencyFailure(failed),
        // Token acquisition for the managed identity failed: the identity endpoint or Entra ID is not answering.
        AuthenticationFailedException => true,
        HttpRequestException or TimeoutException or SocketException => true,
        // The caller's own cancellation is told apart before this is asked; any other was a deadline.
        OperationCanceledException => true,
        IOException => true,
        _ => false,
    };

    /// <summary>
    /// No answer (status 0), throttling, a server error, or access not (yet) granted — role assignments take minutes
    /// to reach Key Vault and Storage after a deployment. Any other 4xx is how the service asked, a bug: a lost race
    /// never gets here, the storage seam settles it.
    /// </summary>
    private static bool IsDependencyFailure(RequestFailedException failed)
        => failed.Status is 0 or 401 or 403 or 408 or 429 or >= 500
            || failed.ErrorCode is "TableBeingDeleted" or "QueueBeingDeleted";
}
