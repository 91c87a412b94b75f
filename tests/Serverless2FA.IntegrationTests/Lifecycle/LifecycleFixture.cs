using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>
/// The service with room for many texts to one number and one user (so a user can log in by text twenty times in a
/// row), and a factor that hard-locks at the first lockout, so the hard-lock notice is reached in five wrong codes.
/// </summary>
public sealed class LifecycleFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Sms:LoginPerNumberPerHour"] = "60";
        settings["Sms:EnrollmentPerNumberPerHour"] = "60";
        settings["Sms:NoticePerNumberPerHour"] = "60";
        settings["Sms:PerUserPerHour"] = "60";
        settings["Verification:HardLockAfter"] = "5";
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleFixture>
{
    public const string Name = "Lifecycle";
}
