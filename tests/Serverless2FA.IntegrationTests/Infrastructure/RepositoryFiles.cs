using System.Reflection;
using Serverless2FA.Local.Hosting;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>Files of the repository the tests read (openapi.yaml, the generated functions.metadata).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = RepositoryRoot.Locate(AppContext.BaseDirectory);

    public static string OpenApi => Path.Combine(Root, "openapi.yaml");

    /// <summary>The functions.metadata the Functions SDK generated for the configuration this test assembly was built in.</summary>
    public static string FunctionsMetadata
    {
        get
        {
            var configuration = typeof(RepositoryFiles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(Root, "functions", "Serverless2FA.Functions", "bin", configuration, "net10.0", "functions.metadata");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(
                    $"{path} is missing: build functions/Serverless2FA.Functions in {configuration} first (the Functions SDK generates it).", path);
        }
    }
}
