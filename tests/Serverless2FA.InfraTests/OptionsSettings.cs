using System.Reflection;

namespace Serverless2FA.InfraTests;

/// <summary>
/// The settings the app binds, found by reflection: every public type in an assembly with a
/// <c>public const string Section</c> is an options class, and each public settable property of it
/// is one setting, <c>Section__Property</c> (or <c>Property</c> when Section is ""), the form an
/// environment variable or app setting takes. New options classes are picked up with no change here.
/// </summary>
internal static class OptionsSettings
{
    public static IReadOnlyList<string> In(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Select(type => (Type: type, Section: SectionOf(type)))
            .Where(options => options.Section is not null)
            .SelectMany(options => options.Type
                .GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.SetMethod is { IsPublic: true })
                .Select(property => options.Section!.Length == 0 ? property.Name : $"{options.Section}__{property.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
        && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;
}
