namespace Serverless2FA.Core.Phones;

/// <summary>Placeholder until the adapters branch lands its PhoneMask.</summary>
public static class PhoneMask
{
    public static string Mask(string e164) => e164.Length <= 4 ? "•••" : "••• " + e164[^4..];
}
