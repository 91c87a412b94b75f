using System.Text.RegularExpressions;

namespace Serverless2FA.Local.Functions;

/// <summary>Resolves <c>%Name%</c> placeholders from configuration, as the Functions host does for trigger attributes.</summary>
internal static partial class SettingResolver
{
    public static string Resolve(string value, IConfiguration configuration, string usedFor)
        => Placeholder().Replace(value, match =>
        {
            var key = match.Groups["name"].Value;
            var setting = configuration[key] ?? configuration[key.Replace("__", ":", StringComparison.Ordinal)];
            return string.IsNullOrWhiteSpace(setting)
                ? throw new InvalidOperationException($"Setting '{key}' is missing; {usedFor} refers to it as %{key}%.")
                : setting;
        });

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex Placeholder();
}
