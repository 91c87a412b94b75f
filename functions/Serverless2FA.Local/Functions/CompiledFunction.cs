using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Serverless2FA.Local.Functions;

/// <summary>
/// A function method made callable without reflection: the class's constructor as an <see cref="ObjectFactory"/>
/// (injection from the call's services, as <see cref="ActivatorUtilities.CreateInstance"/> would) and the method and
/// its Task's result as compiled delegates, built once per method instead of looked up on every call.
/// </summary>
internal sealed class CompiledFunction
{
    private static readonly ConcurrentDictionary<MethodInfo, CompiledFunction> Cache = new();

    private readonly ObjectFactory? _factory;
    private readonly Func<object?, object?[], object?> _call;
    private readonly Func<Task, object?>? _result;

    private CompiledFunction(MethodInfo method)
    {
        _factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        _call = CompileCall(method);
        _result = method.ReturnType.IsGenericType && typeof(Task).IsAssignableFrom(method.ReturnType) ? CompileResult(method.ReturnType) : null;
    }

    public static CompiledFunction For(MethodInfo method) => Cache.GetOrAdd(method, m => new CompiledFunction(m));

    /// <summary>Creates the instance, calls the method and awaits it; a Task's result (or a plain return value) is returned.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        var instance = _factory?.Invoke(services, null);
        var returned = _call(instance, arguments);
        if (returned is not Task task)
        {
            return returned;
        }

        await task.ConfigureAwait(false);
        return _result?.Invoke(task);
    }

    private static Func<object?, object?[], object?> CompileCall(MethodInfo method)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters()
            .Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType))
            .ToArray();
        Expression call = method.IsStatic
            ? Expression.Call(method, parameters)
            : Expression.Call(Expression.Convert(instance, method.DeclaringType!), method, parameters);
        Expression body = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));
        return Expression.Lambda<Func<object?, object?[], object?>>(body, instance, arguments).Compile();
    }

    /// <summary>Reads <c>Result</c> of the task type the method declares (Task&lt;T&gt;, or a subclass of it).</summary>
    private static Func<Task, object?>? CompileResult(Type returnType)
    {
        var property = returnType.GetProperty(nameof(Task<object>.Result));
        if (property is null)
        {
            return null;
        }

        var task = Expression.Parameter(typeof(Task), "task");
        var body = Expression.Convert(Expression.Property(Expression.Convert(task, returnType), property), typeof(object));
        return Expression.Lambda<Func<Task, object?>>(body, task).Compile();
    }
}
