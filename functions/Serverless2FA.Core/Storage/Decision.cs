using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// What a decision over loaded rows came to: the answer, and the changes that must be committed for it to hold
/// (none: the answer stands as it is, and nothing is written).
/// </summary>
internal readonly record struct Decision<T>(Result<T> Answer, Changes? Changes = null)
{
    public static implicit operator Decision<T>(Result<T> answer) => new(answer);

    public static implicit operator Decision<T>(Failure failure) => new(failure);
}
