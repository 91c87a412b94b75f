using System.IO.MemoryMappedFiles;

namespace Serverless2FA.WorkerHost.Clock;

/// <summary>
/// The real clock plus an offset kept in an 8-byte file mapped into memory: the test process writes it
/// (<see cref="SetOffset"/>), the worker reads it on every <see cref="GetUtcNow"/>, so a shift is seen by the very
/// next request. Timers stay real.
/// </summary>
public sealed class ShiftedClock : TimeProvider, IDisposable
{
    /// <summary>The environment variable that carries the file's path into the worker.</summary>
    public const string FileVariable = "SERVERLESS2FA_TEST_CLOCK_FILE";

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _offset;

    public ShiftedClock(string path)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.OpenOrCreate, mapName: null, capacity: sizeof(long), MemoryMappedFileAccess.ReadWrite);
        _offset = _file.CreateViewAccessor(0, sizeof(long));
    }

    public TimeSpan Offset => TimeSpan.FromTicks(_offset.ReadInt64(0));

    /// <summary>The environment a worker needs to run on this clock: the hook and the file.</summary>
    public static IDictionary<string, string?> WorkerEnvironment(string path) => new Dictionary<string, string?>
    {
        ["DOTNET_STARTUP_HOOKS"] = typeof(ShiftedClock).Assembly.Location,
        [FileVariable] = path,
    };

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void SetOffset(TimeSpan offset) => _offset.Write(0, offset.Ticks);

    public void Dispose()
    {
        _offset.Dispose();
        _file.Dispose();
    }
}
