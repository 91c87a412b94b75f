namespace Serverless2FA.Benchmarks;

/// <summary>One benchmark, run as <c>dotnet run -c Release --project tests/Serverless2FA.Benchmarks -- {Name}</c>.</summary>
public interface IBenchmark
{
    string Name { get; }

    /// <summary>Runs and prints the benchmark's result line last; returns the process exit code.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
