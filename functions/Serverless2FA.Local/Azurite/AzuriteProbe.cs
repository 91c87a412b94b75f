namespace Serverless2FA.Local.Azurite;

/// <summary>Tells whether what listens on a port is Azurite's table service (its responses carry <c>Server: Azurite-Table/…</c>).</summary>
internal static class AzuriteProbe
{
    public static async Task<bool> IsAzuriteTableAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(
                new Uri($"http://127.0.0.1:{port}/{AzuriteInstance.AccountName}/Tables"), cancellationToken).ConfigureAwait(false);
            return response.Headers.Server.Any(s => s.Product?.Name.StartsWith("Azurite-Table", StringComparison.OrdinalIgnoreCase) == true);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
