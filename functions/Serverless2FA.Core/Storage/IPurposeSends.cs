using Serverless2FA.Core.Sms;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// A row that keeps a sliding hour of send times per purpose (space-separated Unix seconds, <see cref="SlidingHour"/>),
/// so one purpose's sends never count against another's.
/// </summary>
internal interface IPurposeSends
{
    string LoginSends { get; set; }
    string EnrollmentSends { get; set; }
    string NoticeSends { get; set; }
}

internal static class PurposeSends
{
    public static string Of(this IPurposeSends row, SmsPurpose purpose) => purpose switch
    {
        SmsPurpose.Login => row.LoginSends,
        SmsPurpose.Enrollment => row.EnrollmentSends,
        _ => row.NoticeSends,
    };

    public static void Set(this IPurposeSends row, SmsPurpose purpose, string sends)
    {
        switch (purpose)
        {
            case SmsPurpose.Login:
                row.LoginSends = sends;
                break;
            case SmsPurpose.Enrollment:
                row.EnrollmentSends = sends;
                break;
            default:
                row.NoticeSends = sends;
                break;
        }
    }
}
