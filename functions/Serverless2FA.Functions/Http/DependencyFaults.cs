using System.Net.Sockets;
using Azure;
using Azure.Identity;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// Tells a dependency fault (Table or Queue Storage, Key Vault, Twilio or the network between) from a bug, however an SDK
/// wrapped it: Azure.Core's "Retry failed after N tries" is an <see cref="AggregateException"/> of the tries' errors,
/// a try that ran out of time is a <see cref="TaskCanceledException"/>, a refused connection a status-0
/// <see cref="RequestFailedException"/>.
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
        // The caller's own cancellation is told apart before this is asked (FaultFilter); any other was a deadline.
        OperationCanceledException => true,
        // What the caller's connection did (a truncated body, a reset) is not a dependency's fault.
        BadHttpRequestException or ConnectionResetException => false,
        IOException => true,
        _ => false,
    };

    /// <summary>
    /// No answer (status 0), throttling, a server error, or access not (yet) granted — role assignments take minutes
    /// to reach Key Vault and Storage after a deployment. A 400, 404, 409 or 412 is how the service asked: a bug.
    /// </summary>
    private static bool IsDependencyFailure(RequestFailedException failed)
        => failed.Status is 0 or 401 or 403 or 408 or 429 or >= 500
            || failed.ErrorCode is "TableBeingDeleted" or "QueueBeingDeleted";
}
