namespace Serverless2FA.InfraTests;

[Collection(InfraCollection.Name)]
public sealed class BicepLintTests(InfraFixture infra)
{
    [Fact]
    public void Build_MainBicep_SucceedsWithNoDiagnostics()
    {
        Assert.True(infra.Build.ExitCode == 0, $"bicep build failed ({infra.Build.ExitCode}):\n{infra.Build.AllOutput}");
        Assert.Equal("", infra.Build.AllOutput);
    }

    [Fact]
    public async Task Lint_MainBicep_ReportsNoFindings()
    {
        var lint = await BicepCli.LintAsync(TestEnvironment.MainBicep);

        Assert.True(lint.ExitCode == 0, $"bicep lint failed ({lint.ExitCode}):\n{lint.AllOutput}");
        Assert.Equal("", lint.AllOutput);
    }

    // Proves the repository's bicepconfig.json turns a finding into a failure, not a warning
    // that scrolls past: the same config beside a template with an unused parameter.
    [Fact]
    public async Task Lint_WithRepositoryConfig_FailsOnAFinding()
    {
        var folder = Directory.CreateTempSubdirectory("s2fa-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(TestEnvironment.InfraFolder, "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
            var bicep = Path.Combine(folder, "unused.bicep");
            await File.WriteAllTextAsync(bicep, "param neverUsed string\n");

            var lint = await BicepCli.LintAsync(bicep);

            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("Error no-unused-params", lint.AllOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
