using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Serverless2FA.WorkerHost.Rpc;

namespace Serverless2FA.WorkerHost;

/// <summary>A function as the worker reported it (worker indexing) and the host loaded it.</summary>
public sealed class LoadedFunction
{
    private LoadedFunction(RpcFunctionMetadata metadata, IReadOnlyList<Binding> bindings, string routePrefix)
    {
        Metadata = metadata;
        Bindings = bindings;
        Trigger = bindings.SingleOrDefault(b => b.Direction == BindingInfo.Types.Direction.In && b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"Function '{metadata.Name}' has no trigger binding.");
        if (IsHttp)
        {
            Http = new HttpRoute(Trigger, metadata.Name, routePrefix);
        }
    }

    public string Name => Metadata.Name;

    public string FunctionId => Metadata.FunctionId;

    /// <summary>The method the worker runs, as it reported it.</summary>
    public string EntryPoint => Metadata.EntryPoint;

    /// <summary>The bindings as the worker reported them (JSON), before the host turned them into <c>BindingInfo</c>.</summary>
    public IReadOnlyList<string> RawBindings => Metadata.RawBindings;

    /// <summary>The trigger binding: its type (<c>httpTrigger</c>, <c>timerTrigger</c>, ...) and name.</summary>
    public Binding Trigger { get; }

    public bool IsHttp => string.Equals(Trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>Route, methods and authorization level; null unless <see cref="IsHttp"/>.</summary>
    public HttpRoute? Http { get; }

    internal RpcFunctionMetadata Metadata { get; }

    internal IReadOnlyList<Binding> Bindings { get; }

    internal static LoadedFunction From(RpcFunctionMetadata metadata, string routePrefix)
    {
        if (string.IsNullOrEmpty(metadata.FunctionId))
        {
            // The host assigns an id when the worker did not.
            metadata.FunctionId = Guid.NewGuid().ToString();
        }

        var bindings = metadata.RawBindings.Select(Binding.Parse).ToList();
        return new LoadedFunction(metadata, bindings, routePrefix);
    }

    /// <summary>What the host sends back to load the function: its identity and its bindings, not the raw JSON.</summary>
    internal FunctionLoadRequest ToLoadRequest()
    {
        var request = new FunctionLoadRequest
        {
            FunctionId = FunctionId,
            Metadata = new RpcFunctionMetadata
            {
                Name = Metadata.Name,
                Directory = Metadata.Directory,
                EntryPoint = Metadata.EntryPoint,
                ScriptFile = Metadata.ScriptFile,
                IsProxy = false,
            },
        };
        foreach (var binding in Bindings)
        {
            var info = new BindingInfo { Type = binding.Type, Direction = binding.Direction };
            if (binding.DataType is { } dataType)
            {
                info.DataType = dataType;
            }

            request.Metadata.Bindings.Add(binding.Name, info);
        }

        foreach (var (key, value) in Metadata.Properties)
        {
            request.Metadata.Properties.Add(key, value);
        }

        return request;
    }

    /// <summary>One binding from the worker's raw binding JSON.</summary>
    public sealed record Binding(string Name, string Type, BindingInfo.Types.Direction Direction, BindingInfo.Types.DataType? DataType, JsonElement Json)
    {
        public string? Property(string name)
            => Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
                ? value.GetString()
                : null;

        public IReadOnlyList<string> Strings(string name)
            => Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Array } values
                ? [.. values.EnumerateArray().Select(v => v.GetString()!)]
                : [];

        internal static Binding Parse(string raw)
        {
            var json = JsonDocument.Parse(raw).RootElement.Clone();
            string Required(string name)
                => json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
                    ? value.GetString()!
                    : throw new InvalidOperationException($"A binding must declare '{name}': {raw}");

            var direction = Enum.Parse<BindingInfo.Types.Direction>(Required("direction"), ignoreCase: true);
            var binding = new Binding(Required("name"), Required("type"), direction, null, json);
            return binding.Property("dataType") is { } dataType
                ? binding with { DataType = Enum.Parse<BindingInfo.Types.DataType>(dataType, ignoreCase: true) }
                : binding;
        }
    }

    /// <summary>An HTTP trigger's route under the host's route prefix, its methods and its authorization level.</summary>
    public sealed class HttpRoute
    {
        private readonly TemplateMatcher _matcher;

        internal HttpRoute(Binding trigger, string functionName, string routePrefix)
        {
            var route = (trigger.Property("route") ?? functionName).Trim('/');
            Template = routePrefix.Length == 0 ? route : routePrefix + "/" + route;
            var template = TemplateParser.Parse(Template);
            if (template.Parameters.Any(p => p.InlineConstraints.Any()))
            {
                // The host applies route constraints; this host does not, so it refuses them rather than ignore them.
                throw new NotSupportedException($"Route constraints are not supported by the test host: {Template}");
            }

            _matcher = new TemplateMatcher(template, new RouteValueDictionary());
            Precedence = RoutePrecedence.ComputeInbound(template);
            Methods = [.. trigger.Strings("methods").Select(m => m.ToUpperInvariant())];
            AuthLevel = trigger.Property("authLevel") ?? "Function";
        }

        public string Template { get; }

        /// <summary>Upper-case methods; empty means any.</summary>
        public IReadOnlyList<string> Methods { get; }

        /// <summary><c>Anonymous</c>, <c>Function</c>, <c>Admin</c> (as the attribute names them).</summary>
        public string AuthLevel { get; }

        internal decimal Precedence { get; }

        internal bool TryMatch(HttpRequest request, out RouteValueDictionary values)
        {
            values = [];
            return (Methods.Count == 0 || Methods.Contains(request.Method.ToUpperInvariant()))
                && _matcher.TryMatch(request.Path, values);
        }
    }
}
