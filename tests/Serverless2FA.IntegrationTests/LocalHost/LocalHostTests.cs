using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Secrets;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.LocalHost;

[Collection(LocalHostCollection.Name)]
public sealed class LocalHostTests(LocalHostFixture fixture)
{
    [Fact]
    public async Task Health_IsServedOnItsDeclaredRoute()
    {
        using var response = await fixture.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "api/nothing-here")]
    [InlineData("GET", "favicon.ico")]
    [InlineData("DELETE", "api/health")]
    public async Task UnknownRouteOrMethod_IsA404Problem(string method, string path)
    {
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AdminRun_OfAnUnknownFunction_IsA404Problem()
    {
        using var response = await fixture.Client.PostAsync("admin/functions/NoSuchFunction", null);

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AdminRun_OfAnHttpFunction_IsA400Problem()
    {
        using var response = await fixture.Client.PostAsync("admin/functions/Health", null);

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public void SecretFile_LivesInTheRepositorysLocalFolder_BesideAzuritesData()
    {
        // This fixture sets no KeyVault:LocalFile, as a laptop run does not.
        var secrets = fixture.Factory.Services.GetRequiredService<FileSecretStore>();

        Assert.Equal(Path.Combine(RepositoryFiles.Root, ".local", "secrets.json"), secrets.FilePath);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"status\":{(int)status}", await response.Content.ReadAsStringAsync());
    }
}
