namespace Serverless2FA.InfraTests;

/// <summary>Builds infra/main.bicep once for all the tests that read the compiled template.</summary>
public sealed class InfraFixture : IAsyncLifetime
{
    private readonly string outputFolder = Path.Combine(Path.GetTempPath(), "s2fa-bicep-" + Guid.NewGuid().ToString("N"));

    internal BicepResult Build { get; private set; } = new(-1, "", "");

    internal CompiledTemplate Template =>
        template ?? throw new InvalidOperationException($"bicep build failed ({Build.ExitCode}): {Build.AllOutput}");

    private CompiledTemplate? template;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outputFolder);
        Build = await BicepCli.BuildAsync(TestEnvironment.MainBicep, outputFolder);
        var json = Path.Combine(outputFolder, "main.json");
        if (Build.ExitCode == 0 && File.Exists(json))
        {
            template = CompiledTemplate.Parse(await File.ReadAllTextAsync(json));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(outputFolder, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "Compiled infra";
}
