using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// A test's own Azurite, keeping its data in a folder on disk, that can be made to fail for real: paused with
/// SIGSTOP (the kernel still accepts connections, nothing answers them: a stalled storage node), and stopped and
/// started again on the same port and data folder (storage down, then back with everything it acknowledged).
/// </summary>
public sealed partial class StoppableAzurite : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly string _location = Path.Combine(Path.GetTempPath(), "s2fa-azurite", Guid.NewGuid().ToString("N"));
    private AzuriteInstance? _instance;
    private bool _paused;
    private bool _queuePaused;

    private StoppableAzurite()
    {
    }

    public int Port { get; private set; }

    public int QueuePort { get; private set; }

    public string ConnectionString => _instance?.ConnectionString ?? throw new InvalidOperationException("Azurite was never started.");

    public AzuriteInstance Instance => _instance ?? throw new InvalidOperationException("Azurite was never started.");

    public static async Task<StoppableAzurite> StartAsync()
    {
        var azurite = new StoppableAzurite();
        // A free port now; the same one on every restart.
        azurite._instance = await Launch(azurite._location, port: 0, queuePort: 0);
        azurite.Port = azurite._instance.Port;
        azurite.QueuePort = azurite._instance.QueuePort;
        return azurite;
    }

    /// <summary>Freezes the table service's node process: requests are accepted by the kernel and never answered.</summary>
    public void Pause()
    {
        Signal(NodeProcessId(Instance.ProcessId), SigStop);
        _paused = true;
    }

    public void Resume()
    {
        Signal(NodeProcessId(Instance.ProcessId), SigCont);
        _paused = false;
    }

    /// <summary>Freezes the queue service's node process alone, as <see cref="Pause"/> does the table service's.</summary>
    public void PauseQueue()
    {
        Signal(NodeProcessId(Instance.QueueProcessId), SigStop);
        _queuePaused = true;
    }

    public void ResumeQueue()
    {
        Signal(NodeProcessId(Instance.QueueProcessId), SigCont);
        _queuePaused = false;
    }

    /// <summary>
    /// Stops Azurite as a storage service goes down: SIGINT, on which it closes its server and writes its database
    /// (it otherwise saves every 5 s, so a SIGKILL would lose what it acknowledged, which durable storage never does).
    /// </summary>
    public async Task StopAsync()
    {
        foreach (var pid in new[] { NodeProcessId(Instance.ProcessId), NodeProcessId(Instance.QueueProcessId) })
        {
            Signal(pid, SigInt);
            if (!await ExitedAsync(pid, TimeSpan.FromSeconds(10)))
            {
                Signal(pid, SigKill);
                await ExitedAsync(pid, TimeSpan.FromSeconds(5));
            }
        }

        _instance!.Dispose();
        _instance = null;
    }

    /// <summary>Starts Azurite again on the same ports and data folder.</summary>
    public async Task RestartAsync()
    {
        if (_instance is not null)
        {
            throw new InvalidOperationException("Stop Azurite before starting it again.");
        }

        // The old server's sockets may hold the port for a moment after it exits.
        var waited = Stopwatch.StartNew();
        while (!AzuriteLauncher.IsFree(Port) || !AzuriteLauncher.IsFree(QueuePort))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"Port {Port} did not come free after Azurite stopped.");
            await Task.Delay(100);
        }

        var instance = await Launch(_location, Port, QueuePort);
        if (instance.Port != Port || instance.QueuePort != QueuePort)
        {
            await instance.DisposeAsync();
            Assert.Fail($"Azurite came back on ports {instance.Port} and {instance.QueuePort}, not {Port} and {QueuePort}.");
        }

        _instance = instance;
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            if (_paused)
            {
                Resume();
            }

            if (_queuePaused)
            {
                ResumeQueue();
            }

            await _instance.DisposeAsync();
        }

        if (Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    private static Task<AzuriteInstance> Launch(string location, int port, int queuePort)
        => new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = port, QueuePort = queuePort, Location = location, AccessLog = false });

    /// <summary>
    /// The node process serving the table API. The launcher runs Azurite's script, whose <c>#!/usr/bin/env node</c>
    /// line makes the started process node itself; a wrapper (a shell, npx) would leave node as its child.
    /// </summary>
    private static int NodeProcessId(int? started)
    {
        var pid = started ?? throw new InvalidOperationException("This Azurite was reused, not started: it cannot be paused or stopped.");
        if (CommandOf(pid) == "node")
        {
            return pid;
        }

        var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Select(c => int.Parse(c, CultureInfo.InvariantCulture)).FirstOrDefault(c => CommandOf(c) == "node") is var node and > 0
            ? node
            : throw new InvalidOperationException($"Process {pid} ({CommandOf(pid)}) is not node and has no node child.");
    }

    private static string CommandOf(int pid) => File.ReadAllText($"/proc/{pid}/comm").Trim();

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private static async Task<bool> ExitedAsync(int pid, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        // A process that exited but is not yet reaped shows as a zombie ("Z") until its parent (this test host) waits on it.
        while (File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'))
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
