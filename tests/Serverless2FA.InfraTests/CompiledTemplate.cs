using System.Text.Json.Nodes;

namespace Serverless2FA.InfraTests;

/// <summary>One resource of the compiled ARM template, with the module (nested deployment) it sits in.</summary>
internal sealed record TemplateResource(string Module, JsonObject Json)
{
    public string Type => (string?)Json["type"] ?? "";

    public string Name => (string?)Json["name"] ?? "";

    public bool IsExisting => Json["existing"]?.GetValue<bool>() == true;

    public JsonNode? Properties => Json["properties"];
}

/// <summary>
/// The JSON that `bicep build` makes of infra/main.bicep, with every resource of every module
/// flattened into one list. Module templates come in two shapes: a resource array, or (language
/// version 2.0, used when a module has user-defined types) an object keyed by symbolic name.
/// </summary>
internal sealed class CompiledTemplate
{
    private CompiledTemplate(JsonObject root)
    {
        Root = root;
        Resources = Flatten("main", root).ToList();
    }

    public JsonObject Root { get; }

    public IReadOnlyList<TemplateResource> Resources { get; }

    public static CompiledTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("The compiled template is empty."));

    public IEnumerable<TemplateResource> OfType(string type) =>
        Resources.Where(resource => !resource.IsExisting && string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    public TemplateResource Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The nested deployment (module call) of that name.</summary>
    public JsonObject Module(string name) =>
        Assert.Single(OfType("Microsoft.Resources/deployments"), resource => resource.Name == name).Json;

    /// <summary>Names of the Function App's app settings, read from its config/appsettings resource.</summary>
    public IReadOnlySet<string> FunctionAppSettingNames() =>
        FunctionAppSettings().Select(setting => setting.Key).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> FunctionAppSettings()
    {
        var config = OfType("Microsoft.Web/sites/config")
            .Where(resource => resource.Name.Contains("'appsettings'", StringComparison.Ordinal))
            .ToList();
        Assert.True(config.Count == 1, $"Expected one config/appsettings resource, found {config.Count}.");
        // A literal object keeps every setting name visible here; union() or a variable would hide them.
        var properties = config[0].Properties as JsonObject
            ?? throw new InvalidDataException("The app settings must be a literal object in function-app.bicep.");
        return properties.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString() ?? "", StringComparer.Ordinal);
    }

    private static IEnumerable<TemplateResource> Flatten(string module, JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(pair => pair.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return new TemplateResource(module, resource);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments"
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Flatten((string?)resource["name"] ?? "?", nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
