using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless2FA.Local.Azurite;

/// <summary>Keeps the last lines a child process printed (for error messages) and hands each line on.</summary>
internal sealed class ProcessOutput
{
    private const int MaxLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Action<string> _onLine;

    private ProcessOutput(Action<string> onLine) => _onLine = onLine;

    public static ProcessOutput Attach(Process process, Action<string> onLine)
    {
        var output = new ProcessOutput(onLine);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        return output;
    }

    public override string ToString() => string.Join(Environment.NewLine, _lines);

    private void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }

        _onLine(line);
    }
}
