using System.Reflection;
using Serverless2FA.Client;
using Serverless2FA.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Serverless2FA.ClientTests;

/// <summary>Every operation of openapi.yaml that a relying app calls has exactly one client method, on the same method and path.</summary>
public sealed class OpenApiCoverageTests
{
    /// <summary>
    /// Called by browsers (the texted links, the setup page and its assets) and by Twilio (webhooks), never by a
    /// relying app, so the client has no method for them.
    /// </summary>
    private static readonly HashSet<string> NotForRelyingApps =
    [
        "ShowSetupLink", "ShowSetupLinkHead", "OpenSetupLink", "SetupPage", "SetupAsset",
        "ShowEmergencyCodesLink", "ShowEmergencyCodesLinkHead", "RevealEmergencyCodes",
        "GetSetup", "BeginAuthenticatorSetup", "SendSetupCode", "VerifySetupCode", "CompleteSetup",
        "ReceiveText", "ReceiveMessageStatus",
    ];

    [Fact]
    public void EveryRelyingAppOperation_HasAClientMethod_OnItsMethodAndPath()
    {
        var operations = Operations();
        var methods = typeof(IServerless2FAClient).GetMethods()
            .Select(m => (Method: m, Operation: m.GetCustomAttribute<ServiceOperationAttribute>()))
            .ToList();

        Assert.All(methods, m => Assert.True(m.Operation is not null, $"{m.Method.Name} names no openapi.yaml operation."));
        var missing = operations.Keys.Where(id => !NotForRelyingApps.Contains(id) && methods.All(m => m.Operation!.OperationId != id)).ToList();
        Assert.True(missing.Count == 0, "openapi.yaml operations without a client method (add one, or list them as not for relying apps): " + string.Join(", ", missing));
        foreach (var (method, operation) in methods)
        {
            Assert.True(operations.TryGetValue(operation!.OperationId, out var route), $"{method.Name} names {operation.OperationId}, which openapi.yaml does not have.");
            Assert.Equal(route, (operation.Method, operation.Path));
        }

        Assert.Equal(methods.Count, methods.Select(m => m.Operation!.OperationId).Distinct().Count());
        Assert.Empty(NotForRelyingApps.Except(operations.Keys));
    }

    private static Dictionary<string, (string Method, string Path)> Operations()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryFiles.OpenApi))
        {
            yaml.Load(reader);
        }

        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("paths")];
        var operations = new Dictionary<string, (string, string)>();
        foreach (var (path, item) in paths.Children)
        {
            foreach (var (method, operation) in ((YamlMappingNode)item).Children)
            {
                if (operation is YamlMappingNode body && body.Children.TryGetValue(new YamlScalarNode("operationId"), out var id))
                {
                    operations.Add(((YamlScalarNode)id).Value!, (((YamlScalarNode)method).Value!.ToUpperInvariant(), ((YamlScalarNode)path).Value!));
                }
            }
        }

        return operations;
    }
}
