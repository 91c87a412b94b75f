using System.Net;

namespace Serverless2FA.Local.Hosting;

/// <summary>
/// Where the local host listens: loopback only, unless its own command line names other addresses with
/// <c>--urls</c>. An address from anywhere else (ASPNETCORE_URLS, appsettings, Kestrel endpoints) must be loopback,
/// or the host refuses to start and says how to listen there on purpose; bare ports (ASPNETCORE_HTTP_PORTS, which
/// container images set) are served on loopback.
/// </summary>
internal static class ListenAddresses
{
    /// <returns>The URLs to listen on, or null to keep what is configured.</returns>
    /// <param name="commandLine">The host's command line alone, to tell an explicit <c>--urls</c> from other sources.</param>
    /// <param name="configuration">Everything the host reads.</param>
    public static string? Choose(IConfiguration commandLine, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(commandLine[WebHostDefaults.ServerUrlsKey]))
        {
            return null;
        }

        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        var configured = Split(urls).Concat(endpoints).ToList();
        var outside = configured.Where(url => !IsLoopback(url)).ToList();
        if (outside.Count > 0)
        {
            throw new InvalidOperationException(
                $"The local host listens on this machine only, but its settings name {string.Join(", ", outside)}. " +
                $"To listen there on purpose, pass it on the command line: --urls {string.Join(';', outside)}");
        }

        if (configured.Count > 0)
        {
            return null;
        }

        var ports = Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => "http://localhost:" + p)
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => "https://localhost:" + p))
            .ToList();
        return ports.Count > 0 ? string.Join(';', ports) : LocalDefaults.Url;
    }

    /// <summary>localhost, a loopback IP, or a Unix socket: reachable from this machine only.</summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsUnixPipe || address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string[] Split(string? list)
        => (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
