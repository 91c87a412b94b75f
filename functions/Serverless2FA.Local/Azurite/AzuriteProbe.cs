namespace Serverless2FA.Local.Azurite;

/// <summary>Tells whether what listens on a port is an Azurite service (its responses carry <c>Server: Azurite-Table/…</c> or <c>Azurite-Queue/…</c>).</summary>
internal static class AzuriteProbe
{
    public static async Task<bool> IsAzuriteAsync(AzuriteService service, int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var path = service.Name == AzuriteService.Table.Name ? "/Tables" : "?comp=list";
        try
        {
            using var response = await client.GetAsync(
                new Uri($"http://127.0.0.1:{port}/{AzuriteInstance.AccountName}{path}"), cancellationToken).ConfigureAwait(false);
            return response.Headers.Server.Any(s => s.Product?.Name.StartsWith(service.ServerName, StringComparison.OrdinalIgnoreCase) == true);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

/// <summary>One of Azurite's services: its script in node_modules/.bin, its host and port options, its Server header.</summary>
internal sealed record AzuriteService(string Name, string ServerName)
{
    public static readonly AzuriteService Table = new("table", "Azurite-Table");
    public static readonly AzuriteService Queue = new("queue", "Azurite-Queue");

    public string Script => OperatingSystem.IsWindows() ? $"azurite-{Name}.cmd" : $"azurite-{Name}";
}
