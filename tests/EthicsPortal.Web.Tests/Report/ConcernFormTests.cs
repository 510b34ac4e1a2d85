using Bunit;
using EthicsPortal.Core.Intake;
using EthicsPortal.Web.Components.Report;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Report;

public sealed class ConcernFormTests : MudTestContext
{
    public ConcernFormTests() => Services.AddLocalization(o => o.ResourcesPath = "Resources");

    private IRenderedComponent<EditForm> RenderForm(IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyList<CommitteeMember>? members = null)
    {
        var model = new ReportInput();
        return Render<EditForm>(p => p
            .Add(f => f.Model, model)
            .Add(f => f.ChildContent, _ => builder =>
            {
                builder.OpenComponent<ConcernForm>(0);
                builder.AddAttribute(1, nameof(ConcernForm.Model), model);
                builder.AddAttribute(2, nameof(ConcernForm.Errors), errors);
                builder.AddAttribute(3, nameof(ConcernForm.Products), (IReadOnlyList<ChoiceOption>)IntakeOptions.DefaultProducts);
                builder.AddAttribute(4, nameof(ConcernForm.MisuseTypes), (IReadOnlyList<ChoiceOption>)IntakeOptions.DefaultMisuseTypes);
                builder.AddAttribute(5, nameof(ConcernForm.Members), members ?? []);
                builder.CloseComponent();
            }));
    }

    [Fact]
    public void ConcernForm_WithFieldErrors_ShowsEachMessageBesideItsField()
    {
        var form = RenderForm(new Dictionary<string, string[]>
        {
            ["Description"] = ["Please describe what happened."],
            ["Attachments"] = ["“x.exe” is not accepted."],
        });

        var errors = form.FindAll("[data-testid=field-error]");

        Assert.Equal(2, errors.Count);
        var description = form.Find("[data-field=Description]");
        Assert.Equal("Please describe what happened.", description.TextContent);
        Assert.Equal("description", description.ParentElement!.QuerySelector("textarea")!.Id);
        Assert.Equal("“x.exe” is not accepted.", form.Find("[data-field=Attachments]").TextContent);
    }

    [Fact]
    public void ConcernForm_WithoutErrors_ShowsNoErrorAndDefaultsToAnonymous()
    {
        var form = RenderForm();

        Assert.Empty(form.FindAll("[data-testid=field-error]"));
        Assert.True(form.Find("[data-testid=mode-anonymous]").HasAttribute("checked"));
        Assert.False(form.Find("[data-testid=mode-confidential]").HasAttribute("checked"));
    }

    [Fact]
    public void ConcernForm_ListsProductsMisuseTypesAndCommitteeMembersByTranslatedLabel()
    {
        var form = RenderForm(members: [new CommitteeMember("u1", "Hana Handler"), new CommitteeMember("u2", "Chris Chair")]);

        var products = form.FindAll("[data-testid=product] option").Select(o => o.TextContent).ToList();
        Assert.Contains("Cloud storage", products);
        Assert.Contains("AI services", products);
        Assert.Contains("Mass surveillance of civilians", form.FindAll("[data-testid=misuse-type] option").Select(o => o.TextContent));
        Assert.Equal(["u1", "u2"], form.FindAll("[data-testid=exclusions] input[name=exclude]").Select(i => i.GetAttribute("value")));
        Assert.Equal("file", form.Find("[data-testid=attachments]").GetAttribute("type"));
    }
}
