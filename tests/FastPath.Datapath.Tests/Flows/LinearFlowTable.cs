namespace FastPath.Datapath.Flows;

/// <summary>
/// Megaflows in a list, searched front to back: the naive reference the real classifier is checked
/// against. Test-only.
/// </summary>
public sealed class LinearFlowTable
{
    private readonly List<(FlowMatch Match, byte[] Actions)> flows = [];

    /// <summary>Number of flows.</summary>
    public int Count => flows.Count;

    /// <summary>Appends a flow; earlier flows win.</summary>
    public void Add(in FlowMatch match, byte[] actions) => flows.Add((match, actions));

    /// <summary>Index of the first flow that matches <paramref name="key"/>, or -1.</summary>
    public int Lookup(in Packets.FlowKey key)
    {
        for (int i = 0; i < flows.Count; i++)
        {
            if (flows[i].Match.Matches(key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The actions of flow <paramref name="index"/>.</summary>
    public byte[] ActionsOf(int index) => flows[index].Actions;

    /// <summary>The match of flow <paramref name="index"/>.</summary>
    public FlowMatch MatchOf(int index) => flows[index].Match;
}
