using System.Globalization;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Serverless2FA.Local.Functions;

/// <summary>
/// Calls one function: a new instance of its class per call (constructor injection from the call's
/// services, as the worker's activator does), arguments bound as <see cref="FunctionDiscovery"/> decided,
/// through <see cref="CompiledFunction"/> so no call pays for reflection.
/// </summary>
internal static class FunctionInvoker
{
    /// <summary>Runs an HTTP function; a route value its parameter cannot hold throws <see cref="RouteValueException"/>.</summary>
    public static async Task<IActionResult> InvokeHttpAsync(FunctionDescriptor function, HttpContext http)
    {
        var arguments = new object?[function.Parameters.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = function.Parameters[i];
            arguments[i] = parameter.Source switch
            {
                BindingSource.HttpRequest => http.Request,
                BindingSource.CancellationToken => http.RequestAborted,
                BindingSource.RouteValue => ConvertRouteValue(parameter, http.GetRouteValue(parameter.Name)),
                _ => throw new InvalidOperationException($"Function '{function.Name}' cannot bind {parameter.Source} over HTTP."),
            };
        }

        var returned = await InvokeAsync(function, http.RequestServices, arguments).ConfigureAwait(false);
        return returned as IActionResult ?? new EmptyResult();
    }

    /// <summary>Runs a timer or queue function with its trigger's value (<see cref="TimerInfo"/> or <see cref="QueueMessage"/>).</summary>
    public static async Task InvokeTriggeredAsync(FunctionDescriptor function, IServiceProvider services, object trigger, CancellationToken cancellationToken)
    {
        var arguments = function.Parameters
            .Select(p => p.Source switch
            {
                BindingSource.TimerInfo when trigger is TimerInfo => trigger,
                BindingSource.QueueMessage when trigger is QueueMessage => trigger,
                BindingSource.QueueMessageText when trigger is QueueMessage message => message.MessageText,
                BindingSource.CancellationToken => cancellationToken,
                _ => throw new InvalidOperationException($"Function '{function.Name}' cannot bind {p.Source} from a {trigger.GetType().Name}."),
            })
            .ToArray();

        await InvokeAsync(function, services, arguments).ConfigureAwait(false);
    }

    private static object ConvertRouteValue(ParameterBinding parameter, object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (parameter.Type == typeof(string))
        {
            return text ?? throw new RouteValueException(parameter.Name);
        }

        if (parameter.Type == typeof(Guid) && Guid.TryParse(text, out var guid))
        {
            return guid;
        }

        if (parameter.Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw new RouteValueException(parameter.Name);
    }

    private static Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services, object?[] arguments)
        => CompiledFunction.For(function.Method).InvokeAsync(services, arguments);
}

/// <summary>A route value the function's parameter type cannot hold (e.g. "abc" for a Guid).</summary>
internal sealed class RouteValueException(string name) : Exception($"Route value '{name}' is not valid.")
{
    public string Name => name;
}
