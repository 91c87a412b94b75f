using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Serverless2FA.InfraTests;

[Collection(InfraCollection.Name)]
public sealed partial class TemplateTests(InfraFixture infra)
{
    private CompiledTemplate Template => infra.Template;

    [Fact]
    public void Main_IsSubscriptionScoped_AndCreatesTheTaggedResourceGroup()
    {
        Assert.Contains("subscriptionDeploymentTemplate", (string?)Template.Root["$schema"], StringComparison.Ordinal);
        var group = Template.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal("[format('rg-{0}', parameters('environmentName'))]", group.Name);
        Assert.Equal("[variables('tags')]", (string?)group.Json["tags"]);
        Assert.Equal("[parameters('environmentName')]", (string?)Template.Root["variables"]?["tags"]?["azd-env-name"]);
        Assert.Contains(
            "uniqueString(subscription().id, parameters('environmentName'), parameters('location'))",
            (string?)Template.Root["variables"]?["resourceToken"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void EveryResourceWithALocation_IsTagged() => AssertEveryLocatedResourceIsTagged(Template);

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"resources":[]}""")]
    [InlineData("""{"resources":[{"type":"Microsoft.Storage/storageAccounts","location":"westeurope","tags":{}}]}""")]
    public void TheTagCheck_FailsOnATemplateMissingTheAppsResources(string json)
        => Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertEveryLocatedResourceIsTagged(CompiledTemplate.Parse(json)));

    /// <summary>Every resource with a location carries the tags; and the app's located resources are all there, so nothing passes vacuously.</summary>
    private static void AssertEveryLocatedResourceIsTagged(CompiledTemplate template)
    {
        string[] required =
        [
            "Microsoft.Resources/resourceGroups",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Insights/components",
            "Microsoft.Storage/storageAccounts",
            "Microsoft.KeyVault/vaults",
            "Microsoft.Web/serverfarms",
            "Microsoft.Web/sites",
        ];
        var located = template.Resources.Where(resource => !resource.IsExisting && resource.Json["location"] is not null).ToList();

        Assert.Empty(required.Except(located.Select(resource => resource.Type), StringComparer.OrdinalIgnoreCase));
        Assert.Empty(located.Where(resource => resource.Json["tags"] is null).Select(resource => $"{resource.Module}: {resource.Type}"));
    }

    [Fact]
    public void Storage_RefusesSharedKeysPublicBlobsAndOldTls()
    {
        var properties = Template.Single("Microsoft.Storage/storageAccounts").Properties!;

        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.Single(Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public void KeyVault_UsesRbacSoftDeleteAndPurgeProtection()
    {
        var properties = Template.Single("Microsoft.KeyVault/vaults").Properties!;

        Assert.True(properties["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(properties["enableSoftDelete"]!.GetValue<bool>());
        Assert.True(properties["enablePurgeProtection"]!.GetValue<bool>());
        Assert.Null(properties["accessPolicies"]);
    }

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan.Json["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]?["tier"]);
        Assert.True(plan.Properties!["reserved"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_IsLinuxDotnetIsolated10_WithOnlyItsUserAssignedIdentity()
    {
        var app = Template.Single("Microsoft.Web/sites");

        Assert.Equal("functionapp,linux", (string?)app.Json["kind"]);
        Assert.Equal("UserAssigned", (string?)app.Json["identity"]?["type"]);
        Assert.Single(app.Json["identity"]!["userAssignedIdentities"]!.AsObject());
        Assert.True(app.Properties!["httpsOnly"]!.GetValue<bool>());
        var config = app.Properties["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]?["storage"]?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
    }

    [Fact]
    public void FunctionApp_IsTheAzdServiceNamedApi()
    {
        var app = Template.Single("Microsoft.Web/sites");
        var module = Template.Module(app.Module);

        Assert.Contains("'azd-service-name', parameters('serviceName')", (string?)app.Json["tags"], StringComparison.Ordinal);
        Assert.Equal("api", (string?)module["properties"]?["parameters"]?["serviceName"]?["value"]);
    }

    [Fact]
    public void ApplicationInsights_AcceptsOnlyEntraIdIngestion_AndTheAppSignsIn()
    {
        var insights = Template.Single("Microsoft.Insights/components");
        var settings = Template.FunctionAppSettings();

        Assert.True(insights.Properties!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.NotNull(insights.Properties["WorkspaceResourceId"]);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings.Keys);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', reference('identity').clientId)]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Host_ReachesStorageWithTheManagedIdentity()
    {
        var settings = Template.FunctionAppSettings();

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.Contains("AzureWebJobsStorage__clientId", settings.Keys);
        // Flex Consumption rejects these; and a connection string would need a shared key.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
    }

    [Fact]
    public void EventsQueue_AndItsPoisonQueue_AreDeclared_AndTheTriggerReachesThemWithTheManagedIdentity()
    {
        var queues = Template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => q.Name).ToList();
        var settings = Template.FunctionAppSettings();

        Assert.Equal(2, queues.Count);
        Assert.Contains(queues, name => name.Contains("-poison", StringComparison.Ordinal));
        // DeliverEvent's connection "Storage": the Functions host reads these three for an identity-based queue connection.
        Assert.Contains("primaryEndpoints.queue", settings["Storage__QueueServiceUri"], StringComparison.Ordinal);
        Assert.Equal("managedidentity", settings["Storage__credential"]);
        Assert.Contains("Storage__clientId", settings.Keys);
        Assert.Equal("[parameters('service').eventsQueue]", settings["Events__Queue"]);
    }

    [Fact]
    public void AppSettings_HoldNoSecretsAndNoKeyVaultReferences()
    {
        var settings = Template.FunctionAppSettings();

        foreach (var secretSetting in SettingsDrift.KeyVaultSecrets.Keys)
        {
            Assert.DoesNotContain(secretSetting, settings.Keys);
        }

        Assert.DoesNotContain(settings.Values, value => value.Contains("@Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings.Values, value => value.Contains("listKeys", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults", "identityName")] // Key Vault Secrets User
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts", "identityName")] // Storage Table Data Contributor
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts", "identityName")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts", "identityName")] // Storage Queue Data Contributor
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components", "identityName")] // Monitoring Metrics Publisher
    [InlineData("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Microsoft.KeyVault/vaults", "deployerPrincipalId")] // Key Vault Secrets Officer
    public void RoleAssignment_GrantsTheBuiltInRole_OnTheRightScope(string roleGuid, string scopeType, string principal)
    {
        var assignment = Assert.Single(
            Template.OfType("Microsoft.Authorization/roleAssignments"),
            resource => RoleGuid(resource) == roleGuid);

        Assert.StartsWith("[guid(", assignment.Name, StringComparison.Ordinal);
        Assert.Contains(roleGuid, assignment.Name, StringComparison.Ordinal);
        Assert.Contains($"'{scopeType}'", (string?)assignment.Json["scope"], StringComparison.Ordinal);
        Assert.Contains(principal, (string?)assignment.Properties!["principalId"], StringComparison.Ordinal);
    }

    [Fact]
    public void RoleAssignments_AreExactlyTheSixListed()
    {
        string[] expected =
        [
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
            "3913510d-42f4-4e42-8a64-420c390055eb",
            "4633458b-17de-408a-b874-0445c86b69e6",
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ];

        var roles = Template.OfType("Microsoft.Authorization/roleAssignments").Select(RoleGuid).Order(StringComparer.Ordinal);

        Assert.Equal(expected, roles);
    }

    [Fact]
    public void DeployerRole_IsOnlyGrantedWhenAPrincipalIsGiven()
    {
        var deployer = Assert.Single(
            Template.OfType("Microsoft.Authorization/roleAssignments"),
            resource => RoleGuid(resource) == "b86a8fe4-44ce-4948-aee5-eccb2c155cd7");

        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", (string?)deployer.Json["condition"]);
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("SERVICE_API_NAME")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    [InlineData("AZURE_KEY_VAULT_URI")]
    [InlineData("PUBLIC_BASE_URL")]
    public void Outputs_IncludeWhatAzdAndTheGuideUse(string output)
    {
        Assert.NotNull(Template.Root["outputs"]?[output]);
    }

    [Fact]
    public void PublicBaseUrl_IsTheAppsOwnHttpsOriginUnlessACustomDomainIsGiven()
    {
        var value = Template.FunctionAppSettings()["PublicBaseUrl"];

        Assert.Equal(
            "[if(empty(parameters('customDomainName')), format('https://{0}', reference('app').defaultHostName), format('https://{0}', parameters('customDomainName')))]",
            value);
    }

    private static string RoleGuid(TemplateResource assignment) =>
        GuidPattern().Match((string?)assignment.Properties?["roleDefinitionId"] ?? "").Value;

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();
}
