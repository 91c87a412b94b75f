using System.Globalization;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// CPU time (user + system) of this process and, separately, of the processes it started (Azurite's node), read
/// from /proc so a run can tell what its own code costs per request from what storage costs. Zero off Linux.
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the benchmark runs on.

    public readonly record struct Sample(TimeSpan Self, TimeSpan Children);

    public static Sample Now()
    {
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }

        var self = Environment.ProcessId;
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the ")" closing the command name: state ppid ... utime(14) stime(15), 1-based overall.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        long children = 0;
        foreach (var pid in ticks.Keys)
        {
            if (pid != self && DescendsFrom(pid, self, parents))
            {
                children += ticks[pid];
            }
        }

        return new Sample(TimeSpan.FromSeconds(ticks.GetValueOrDefault(self) / TicksPerSecond), TimeSpan.FromSeconds(children / TicksPerSecond));
    }

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var parent) && parent > 1; hops++, pid = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
