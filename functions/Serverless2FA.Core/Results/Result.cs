using System.Diagnostics.CodeAnalysis;

namespace Serverless2FA.Core.Results;

/// <summary>A value or an expected failure; exceptions are kept for faults.</summary>
public readonly struct Result<T>
{
    /// <summary>A success; for interface-typed values, which implicit conversions cannot take.</summary>
    public Result(T value)
        : this(value ?? throw new ArgumentNullException(nameof(value)), null)
    {
    }

    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    /// <summary>True with a <see cref="Value"/>; false with a <see cref="Failure"/>. The compiler knows which is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Failure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));
}
