using Serverless2FA.Client;

namespace Serverless2FA.DemoApp.TwoFactor;

public enum PanelState
{
    Off,
    Pending,
    On,
}

/// <summary>What the Settings page shows under "Two-factor authentication".</summary>
public sealed record TwoFactorPanel(PanelState State, TwoFactorStatus? Status)
{
    public string? Notice { get; init; }

    public string? Error { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>New emergency codes, shown once.</summary>
    public IReadOnlyList<string>? EmergencyCodes { get; init; }

    /// <summary>Changing the phone: the verification the person must approve first.</summary>
    public StepUp? StepUp { get; init; }

    public string StateName => State.ToString().ToLowerInvariant();

    public string? FieldError(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

/// <param name="VerificationId">Started for the person; approved with their code, it is the enrollment's <c>stepUp</c>.</param>
/// <param name="Method">Where the code comes from, when known.</param>
public sealed record StepUp(string VerificationId, TwoFactorMethod? Method);
