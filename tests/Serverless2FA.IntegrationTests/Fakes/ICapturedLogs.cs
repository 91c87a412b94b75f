namespace Serverless2FA.IntegrationTests.Fakes;

/// <summary>Log lines a host wrote, as text.</summary>
public interface ICapturedLogs
{
    IReadOnlyList<string> Lines { get; }
}
