using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>
/// A translator over a list of non-overlapping datapath rules, each installed as its own megaflow: enough to
/// exercise the upcall plumbing on a real datapath before the OpenFlow xlate is wired in (it is not xlate).
/// </summary>
internal sealed class RuleListTranslator(IReadOnlyList<(FlowMatch Match, byte[] Actions)> rules) : IUpcallTranslator
{
    public int Translations { get; private set; }

    public int ActionUpcalls { get; private set; }

    public bool Translate(in Upcall upcall, out UpcallTranslation translation)
    {
        Translations++;
        foreach ((FlowMatch match, byte[] actions) in rules)
        {
            if (match.Matches(upcall.Key))
            {
                translation = new UpcallTranslation { Megaflow = match, Actions = actions, Install = true };
                return true;
            }
        }

        translation = default;
        return false;
    }

    public void OnActionUpcall(in Upcall upcall) => ActionUpcalls++;
}
