using System.Globalization;
using System.Text;
using CsvHelper;
using EthicsPortal.Core.Insights;

namespace EthicsPortal.Web.Components.Insights;

/// <summary>
/// The second renderer of <see cref="InsightsReport"/>: the same headlines and tables as the page, cell for
/// cell, hidden cells as their markers. It reads only the report object, so it cannot show more than the page.
/// </summary>
public static class InsightsCsv
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        // A label beginning with = + - @ must not become a spreadsheet formula.
        Injection = CsvInjection.Escape,
        // Blocks of different widths, one after another, as on the page.
        ValidateFieldCount = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public const string ContentType = "text/csv";

    public static string FileName(InsightsReport report) => $"insights-{report.Period.Token}.csv";

    public static string Write(InsightsReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            Line(csv, "EthicsPortal insights");
            Line(csv, "Period", report.Period.Label);
            if (report.Notice is not null)
                Line(csv, "Notice", report.Notice);
            Line(csv, "Figures as of", report.GeneratedLabel);
            Line(csv, "Hidden figures", report.Legend);

            Line(csv, "Summary");
            foreach (var headline in report.Headlines)
                Line(csv, headline.Label, headline.Value.Display, headline.Detail);

            foreach (var table in report.Tables)
            {
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

    private static void Line(CsvWriter csv, params string[] fields) => csv.WriteRecord(fields);
}
