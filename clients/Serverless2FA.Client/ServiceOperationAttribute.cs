namespace Serverless2FA.Client;

/// <summary>Names the operation of the service's <c>openapi.yaml</c> that a client method calls.</summary>
/// <param name="operationId">The <c>operationId</c> in <c>openapi.yaml</c>.</param>
/// <param name="method">The HTTP method, upper case.</param>
/// <param name="path">The path template, as in <c>openapi.yaml</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ServiceOperationAttribute(string operationId, string method, string path) : Attribute
{
    /// <summary>The <c>operationId</c> in <c>openapi.yaml</c>.</summary>
    public string OperationId { get; } = operationId;

    /// <summary>The HTTP method, upper case.</summary>
    public string Method { get; } = method;

    /// <summary>The path template, e.g. <c>/api/users/{userId}/two-factor</c>.</summary>
    public string Path { get; } = path;
}
