using Serverless2FA.IntegrationTests.Fakes;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// The whole service as a relying app and Twilio see it, on either host: the local host in-process
/// (<see cref="ServiceFixture"/>) or the deployable worker process under the protocol-level Functions host
/// (tests/Serverless2FA.WorkerTests). Test classes written against this run on both, each through a thin derived class.
/// </summary>
public interface IServiceFixture
{
    /// <summary>The Twilio the service texts through.</summary>
    TwilioStandIn Twilio { get; }

    /// <summary>The service's clock: the real one plus an offset tests can move forward.</summary>
    ShiftableTimeProvider Clock { get; }

    /// <summary>Every log line the service wrote.</summary>
    ICapturedLogs Logs { get; }

    string StorageConnectionString { get; }

    string TablePrefix { get; }

    /// <summary>A client that neither follows redirects nor keeps cookies, carrying what a relying app sends (its function key).</summary>
    HttpClient NewClient();
}
