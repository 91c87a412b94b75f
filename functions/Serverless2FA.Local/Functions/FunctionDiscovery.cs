using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Serverless2FA.Local.Functions;

/// <summary>
/// Finds the <c>[Function]</c> methods of an assembly and decides, once at start-up, how each
/// parameter is bound. Anything the local host cannot run fails here, naming the function.
/// </summary>
internal static class FunctionDiscovery
{
    private static readonly Type[] RouteValueTypes = [typeof(string), typeof(Guid), typeof(int)];

    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly, IConfiguration configuration, string routePrefix)
    {
        var functions = assembly.GetExportedTypes()
            .Where(t => t.IsClass)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => Describe(m, configuration, routePrefix))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Function name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(f => f.EntryPoint))}.");
        }

        return functions;
    }

    public static FunctionDescriptor Describe(MethodInfo method, IConfiguration configuration, string routePrefix)
    {
        var name = method.GetCustomAttribute<FunctionAttribute>()?.Name
            ?? throw new ArgumentException($"{method.Name} has no [Function] attribute.", nameof(method));
        var entryPoint = $"{method.DeclaredType().FullName}.{method.Name}";

        FunctionTrigger? trigger = null;
        var bindings = new List<ParameterBinding>();
        foreach (var parameter in method.GetParameters())
        {
            var parameterName = parameter.Name ?? throw Fail(name, "has an unnamed parameter.");
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                trigger = SetOnce(trigger, name, Http(http, name, routePrefix));
                Require(parameter, typeof(Microsoft.AspNetCore.Http.HttpRequest), name);
                bindings.Add(new(parameterName, parameter.ParameterType, BindingSource.HttpRequest));
            }
            else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                trigger = SetOnce(trigger, name, Timer(timer, name, configuration));
                Require(parameter, typeof(TimerInfo), name);
                bindings.Add(new(parameterName, parameter.ParameterType, BindingSource.TimerInfo));
            }
            else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                trigger = SetOnce(trigger, name, Queue(queue, name, configuration));
                var source = parameter.ParameterType == typeof(QueueMessage) ? BindingSource.QueueMessage
                    : parameter.ParameterType == typeof(string) ? BindingSource.QueueMessageText
                    : throw Fail(name, $"binds its trigger to {parameter.ParameterType.Name}; the local host binds QueueMessage or string only.");
                bindings.Add(new(parameterName, parameter.ParameterType, source));
            }
            else if (parameter.ParameterType == typeof(CancellationToken))
            {
                bindings.Add(new(parameterName, parameter.ParameterType, BindingSource.CancellationToken));
            }
            else if (parameter.ParameterType == typeof(FunctionContext))
            {
                throw Fail(name, $"binds FunctionContext ('{parameterName}'), which the local host does not support; inject services through the constructor instead.");
            }
            else if (RouteValueTypes.Contains(parameter.ParameterType))
            {
                bindings.Add(new(parameterName, parameter.ParameterType, BindingSource.RouteValue));
            }
            else
            {
                throw Fail(name, $"has parameter '{parameterName}' of type {parameter.ParameterType.Name}, which the local host cannot bind.");
            }
        }

        if (trigger is null)
        {
            throw Fail(name, "has no trigger the local host supports ([HttpTrigger], [TimerTrigger] or [QueueTrigger]).");
        }

        if (trigger is HttpTriggerInfo)
        {
            CheckHttpReturnType(method, name);
        }
        else
        {
            if (bindings.Any(b => b.Source == BindingSource.RouteValue))
            {
                throw Fail(name, "binds a route value but is not an HTTP function.");
            }

            if (method.ReturnType != typeof(void) && method.ReturnType != typeof(Task))
            {
                throw Fail(name, $"returns {method.ReturnType.Name}; a timer or queue function returns void or Task.");
            }
        }

        return new FunctionDescriptor(name, entryPoint, method, trigger, bindings);
    }

    private static HttpTriggerInfo Http(HttpTriggerAttribute http, string name, string routePrefix)
    {
        var route = http.Route?.Trim('/');
        var template = CombineRoute(routePrefix, string.IsNullOrEmpty(route) ? name : route);
        var methods = (http.Methods ?? []).Select(m => m.ToLowerInvariant()).ToArray();
        return new HttpTriggerInfo(http.AuthLevel.ToString(), methods, http.Route, template);
    }

    private static TimerTriggerInfo Timer(TimerTriggerAttribute timer, string name, IConfiguration configuration)
    {
        var expression = SettingResolver.Resolve(timer.Schedule, configuration, $"the schedule of function '{name}'");
        try
        {
            var cron = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
            return new TimerTriggerInfo(timer.Schedule, expression, cron, timer.RunOnStartup);
        }
        catch (CrontabException e)
        {
            throw Fail(name, $"has schedule '{expression}', which is not a six-field CRON expression: {e.Message}");
        }
    }

    private static QueueTriggerInfo Queue(QueueTriggerAttribute queue, string name, IConfiguration configuration)
    {
        var resolved = SettingResolver.Resolve(queue.QueueName, configuration, $"the queue of function '{name}'");
        return new QueueTriggerInfo(queue.QueueName, resolved, queue.Connection);
    }

    internal static string CombineRoute(string prefix, string route)
    {
        prefix = prefix.Trim('/');
        return prefix.Length == 0 ? route : $"{prefix}/{route}";
    }

    private static void CheckHttpReturnType(MethodInfo method, string name)
    {
        var type = method.ReturnType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            type = type.GetGenericArguments()[0];
        }

        if (!typeof(IActionResult).IsAssignableFrom(type))
        {
            throw Fail(name, $"returns {method.ReturnType.Name}; an HTTP function returns IActionResult or Task<IActionResult>.");
        }
    }

    private static void Require(ParameterInfo parameter, Type expected, string name)
    {
        if (parameter.ParameterType != expected)
        {
            throw Fail(name, $"binds its trigger to {parameter.ParameterType.Name}; the local host binds {expected.Name} only.");
        }
    }

    private static FunctionTrigger SetOnce(FunctionTrigger? existing, string name, FunctionTrigger trigger)
        => existing is null ? trigger : throw Fail(name, "has more than one trigger.");

    private static InvalidOperationException Fail(string name, string problem)
        => new($"Function '{name}' {problem}");

    private static Type DeclaredType(this MethodInfo method)
        => method.DeclaringType ?? throw new InvalidOperationException($"{method.Name} has no declaring type.");
}
