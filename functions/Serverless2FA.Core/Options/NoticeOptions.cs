using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Security notices texted to the enrolled phone (factor replaced, two-factor off, emergency codes, hard lock).</summary>
public sealed class NoticeOptions
{
    public const string Section = "Notices";

    /// <summary>Whether notices are texted at all; a skipped notice is still never an error.</summary>
    public bool Enabled { get; set; } = true;

    // A bool has no range to check: binding it ("Notices:Enabled=maybe") fails at start-up, naming the key.
    internal static OptionsBuilder<NoticeOptions> Bind(IServiceCollection services)
        => services.AddOptions<NoticeOptions>().BindConfiguration(Section).ValidateOnStart();
}
