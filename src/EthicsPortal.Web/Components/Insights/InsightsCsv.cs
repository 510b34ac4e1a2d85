using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using EthicsPortal.Core.Insights;

namespace EthicsPortal.Web.Components.Insights;

/// <summary>
/// The second renderer of <see cref="InsightsReport"/>: the same headlines and tables as the page, cell for
/// cell, hidden cells as their markers. It reads only the report object, so it cannot show more than the page.
/// </summary>
public static class InsightsCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        // A label beginning with = + - @ must not become a spreadsheet formula.
        InjectionOptions = InjectionOptions.Escape,
    };

    public const string ContentType = "text/csv";

    public static string FileName(InsightsReport report) => $"insights-{report.Period.Token}.csv";

    public static string Write(InsightsReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Configuration))
        {
            Line(csv, "EthicsPortal insights");
            Line(csv, "Period", report.Period.Label);
            if (report.Notice is not null)
                Line(csv, "Notice", report.Notice);
            Line(csv, "Figures as of", report.GeneratedLabel);
            Line(csv, "Hidden figures", report.Legend);
            csv.NextRecord();

            Line(csv, "Summary");
            foreach (var headline in report.Headlines)
                Line(csv, headline.Label, headline.Value.Display, headline.Detail);

            foreach (var table in report.Tables)
            {
                csv.NextRecord();
                Line(csv, table.Title);
                Line(csv, [.. table.Header]);
                foreach (var row in table.Rows)
                    Line(csv, [row.Label, .. row.Cells.Select(c => c.Display)]);
                if (table.Total is { } total)
                    Line(csv, [total.Label, .. total.Cells.Select(c => c.Display)]);
                if (table.Note is not null)
                    Line(csv, "Note", table.Note);
            }
        }
        return text.ToString();
    }

    /// <summary>UTF-8 with a byte-order mark, so spreadsheet programs read the dashes and quotes right.</summary>
    public static byte[] Encode(string csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)];

    private static void Line(CsvWriter csv, params string[] fields)
    {
        foreach (var field in fields)
            csv.WriteField(field);
        csv.NextRecord();
    }
}
