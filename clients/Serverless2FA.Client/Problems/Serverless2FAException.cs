namespace Serverless2FA.Client;

/// <summary>The base of what the client throws: the service refused the call, or could not be reached.</summary>
public abstract class Serverless2FAException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected Serverless2FAException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The service answered with a problem that is not one of the method's expected outcomes (those come back as values):
/// invalid input, a refused text, a 503 after the retries, a wrong function key, …
/// </summary>
public sealed class Serverless2FAProblemException : Serverless2FAException
{
    /// <summary>Creates the exception for <paramref name="problem"/>.</summary>
    public Serverless2FAProblemException(Problem problem)
        : base($"Serverless2FA answered {problem.Status} ({problem.Code}): {problem.Detail ?? problem.Title}")
    {
        Problem = problem;
    }

    /// <summary>The problem as the service sent it.</summary>
    public Problem Problem { get; }

    /// <summary>The problem type URI.</summary>
    public string Type => Problem.Type;

    /// <summary>The short name of the problem type (see <see cref="ProblemCodes"/>).</summary>
    public string Code => Problem.Code;

    /// <summary>The HTTP status code.</summary>
    public int Status => Problem.Status;

    /// <summary>The problem's title.</summary>
    public string? Title => Problem.Title;

    /// <summary>The problem's detail, a sentence a person can act on.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>Messages per request field.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors => Problem.Errors;

    /// <summary>The answer's <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter => Problem.RetryAfter;
}

/// <summary>The service could not be reached, or did not answer within the client's timeouts.</summary>
public sealed class Serverless2FAUnavailableException : Serverless2FAException
{
    /// <summary>Creates the exception.</summary>
    public Serverless2FAUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
