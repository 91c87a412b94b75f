using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless2FA.WorkerHost.Clock;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>) the test host loads into the worker process, so tests can move
/// the worker's clock as they move the local host's: when the worker's host is built (the public <c>HostBuilding</c>
/// event WebApplicationFactory also relies on), its <see cref="TimeProvider"/> is replaced by one whose offset the
/// test process writes to a shared file. The worker's own code and registrations are not touched.
/// </summary>
/// <remarks>The runtime requires this name, in no namespace, with a static <c>Initialize</c>.</remarks>
#pragma warning disable CA1050 // Declare types in namespaces: a startup hook may not.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(ShiftedClock.FileVariable);
        if (!string.IsNullOrEmpty(path))
        {
            DiagnosticListener.AllListeners.Subscribe(new Listeners(new ShiftedClock(path)));
        }
    }

    private sealed class Listeners(ShiftedClock clock) : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(new HostEvents(clock));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class HostEvents(ShiftedClock clock) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: "HostBuilding", Value: IHostBuilder builder })
            {
                builder.ConfigureServices(services =>
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton<TimeProvider>(clock);
                });
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
