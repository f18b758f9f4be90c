namespace FastPath.Ofproto.Xlate;

/// <summary>
/// The packet-in contexts (reason, table, rule cookie, max_len, metadata) that CONTROLLER outputs carry through
/// the datapath as the cookie of a userspace action, so a megaflow can send to the controller with no upcall
/// translation. Bounded: past <see cref="Capacity"/> contexts, new ones lose their metadata and share one entry per rest.
/// </summary>
public sealed class ControllerContexts
{
    /// <summary>Most distinct contexts kept.</summary>
    public const int Capacity = 65536;

    private readonly Dictionary<Context, ulong> ids = [];
    private readonly List<Context> contexts = [];

    /// <summary>The cookie for a context.</summary>
    public ulong CookieOf(PacketInReason reason, byte tableId, ulong ruleCookie, ushort maxLen, ulong metadata, bool implicitMiss = false)
    {
        var c = new Context(reason, tableId, ruleCookie, maxLen, metadata, implicitMiss);
        if (ids.TryGetValue(c, out ulong id))
        {
            return id;
        }

        if (contexts.Count >= Capacity && metadata != 0)
        {
            return CookieOf(reason, tableId, ruleCookie, maxLen, 0, implicitMiss);
        }

        id = (ulong)contexts.Count;
        contexts.Add(c);
        ids.Add(c, id);
        return id;
    }

    /// <summary>The context of <paramref name="cookie"/>, if it is one.</summary>
    public bool TryGet(ulong cookie, out Context context)
    {
        if (cookie < (ulong)contexts.Count)
        {
            context = contexts[(int)cookie];
            return true;
        }

        context = default;
        return false;
    }

    /// <summary>One packet-in context; <paramref name="ImplicitMiss"/>: a table had no rule at all (no table-miss rule either).</summary>
    public readonly record struct Context(PacketInReason Reason, byte TableId, ulong RuleCookie, ushort MaxLen, ulong Metadata, bool ImplicitMiss = false);
}
