using System.Globalization;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>How staff pages write a time. One rule for times kept only to the hour (an anonymous reporter's acts):
/// they read as the hour they fell in, never as a minute they did not happen at.</summary>
public static class StaffTimes
{
    public static string When(DateTimeOffset t, bool toTheHour = false) => toTheHour
        ? $"{t.UtcDateTime.ToString("d MMM yyyy", CultureInfo.CurrentCulture)}, between {t.UtcDateTime:HH}:00 and {t.UtcDateTime.AddHours(1):HH}:00 UTC"
        : t.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.CurrentCulture);
}
