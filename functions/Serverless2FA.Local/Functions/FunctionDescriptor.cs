using System.Reflection;

namespace Serverless2FA.Local.Functions;

/// <summary>One <c>[Function]</c> method as the local host runs it.</summary>
/// <param name="Name">The <c>[Function]</c> name.</param>
/// <param name="EntryPoint"><c>Namespace.Class.Method</c>, as in <c>functions.metadata</c>.</param>
internal sealed record FunctionDescriptor(
    string Name,
    string EntryPoint,
    MethodInfo Method,
    FunctionTrigger Trigger,
    IReadOnlyList<ParameterBinding> Parameters);

/// <summary>What starts a function.</summary>
/// <param name="Type">The binding type as <c>functions.metadata</c> spells it (<c>httpTrigger</c>, <c>timerTrigger</c>, <c>queueTrigger</c>).</param>
internal abstract record FunctionTrigger(string Type);

/// <param name="AuthLevel">The declared level; the local host does not enforce it (see <see cref="Http.HttpFunctionEndpoints"/>).</param>
/// <param name="Methods">Lower-case methods as declared; empty means every method.</param>
/// <param name="Route">The trigger's own route, without host.json's prefix.</param>
/// <param name="RouteTemplate">The route Kestrel serves: host.json's prefix plus <paramref name="Route"/>.</param>
internal sealed record HttpTriggerInfo(string AuthLevel, IReadOnlyList<string> Methods, string? Route, string RouteTemplate)
    : FunctionTrigger("httpTrigger");

/// <param name="Schedule">The schedule as declared, e.g. <c>%ExpirySchedule%</c>.</param>
/// <param name="Expression">The six-field CRON expression after resolving settings.</param>
internal sealed record TimerTriggerInfo(string Schedule, string Expression, NCrontab.CrontabSchedule Cron, bool RunOnStartup)
    : FunctionTrigger("timerTrigger");

/// <param name="QueueName">The queue as declared, e.g. <c>%Events:Queue%</c>.</param>
/// <param name="Queue">The queue's name after resolving settings.</param>
/// <param name="Connection">The declared connection name (a setting section, e.g. <c>Storage</c>).</param>
internal sealed record QueueTriggerInfo(string QueueName, string Queue, string? Connection)
    : FunctionTrigger("queueTrigger");

internal enum BindingSource
{
    HttpRequest,
    RouteValue,
    CancellationToken,
    TimerInfo,
    QueueMessage,
    QueueMessageText,
}

internal sealed record ParameterBinding(string Name, Type Type, BindingSource Source);
