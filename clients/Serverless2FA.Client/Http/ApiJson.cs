using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless2FA.Client.Http;

/// <summary>The service's JSON: camelCase, kebab-case enum values (<c>every-login</c>), nulls left out.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
