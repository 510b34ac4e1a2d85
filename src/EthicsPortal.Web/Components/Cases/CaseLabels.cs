using EthicsPortal.Core.Intake;

namespace EthicsPortal.Web.Components.Cases;

/// <summary>Labels for the configured lists, for staff pages.</summary>
public sealed class CaseLabels(IntakeService intake)
{
    public IReadOnlyList<ChoiceOption> MisuseTypes => intake.MisuseTypes;
    public IReadOnlyList<ChoiceOption> Products => intake.Products;

    public string MisuseType(string key) => MisuseTypes.FirstOrDefault(m => m.Key == key)?.Label ?? key;
    public string Product(string key) => Products.FirstOrDefault(p => p.Key == key)?.Label ?? key;
}
