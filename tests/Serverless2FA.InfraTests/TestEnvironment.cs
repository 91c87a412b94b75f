using System.Reflection;

namespace Serverless2FA.InfraTests;

/// <summary>Where the repository and the Bicep CLI are, as MSBuild saw them when it built this assembly.</summary>
internal static class TestEnvironment
{
    private const string BicepPackageId = "azure.bicep.commandline.linux-x64";

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string InfraFolder { get; } = Path.Combine(RepositoryRoot, "infra");

    public static string MainBicep { get; } = Path.Combine(InfraFolder, "main.bicep");

    /// <summary>
    /// The bicep binary from the package that restore put in the NuGet cache (PackageDownload in the csproj).
    /// </summary>
    public static string BicepExecutable { get; } = FindBicep();

    private static string FindBicep()
    {
        var version = Metadata("BicepCliVersion");
        var roots = new[]
        {
            Metadata("NuGetPackageRoot"),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? "",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots
            .Where(root => !string.IsNullOrWhiteSpace(root))
            .Select(root => Path.Combine(root, BicepPackageId, version, "tools", "bicep"))
            .ToList();
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"The Bicep CLI {version} is not in the NuGet cache; `dotnet restore` this project. Looked at: {string.Join(", ", candidates)}");
        EnsureExecutable(found);
        return found;
    }

    // Some NuGet extractions drop the executable bit; the binary is useless without it.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is missing; see Serverless2FA.InfraTests.csproj.");
}
