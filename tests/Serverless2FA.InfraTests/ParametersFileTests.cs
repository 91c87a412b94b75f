using System.Text.Json.Nodes;

namespace Serverless2FA.InfraTests;

[Collection(InfraCollection.Name)]
public sealed class ParametersFileTests(InfraFixture infra)
{
    private static JsonObject FileParameters() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestEnvironment.InfraFolder, "main.parameters.json")))!["parameters"]!.AsObject();

    private JsonObject TemplateParameters => infra.Template.Root["parameters"]!.AsObject();

    [Fact]
    public void EveryParameterInTheFile_IsDeclaredByMainBicep()
    {
        var undeclared = FileParameters().Select(pair => pair.Key).Where(name => !TemplateParameters.ContainsKey(name)).ToList();

        Assert.Empty(undeclared);
    }

    [Fact]
    public void EveryRequiredParameter_IsMappedFromAzd()
    {
        var required = TemplateParameters
            .Where(pair => pair.Value?["defaultValue"] is null)
            .Select(pair => pair.Key);

        Assert.All(required, name => Assert.True(FileParameters().ContainsKey(name), $"{name} has no default and no value in main.parameters.json"));
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("principalId", "${AZURE_PRINCIPAL_ID}")]
    [InlineData("twilioFromNumber", "${TWILIO_FROM_NUMBER=}")]
    public void AzdVariables_MapToTheirParameters(string parameter, string value)
    {
        Assert.Equal(value, (string?)FileParameters()[parameter]?["value"]);
    }
}
