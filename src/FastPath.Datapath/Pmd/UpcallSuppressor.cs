using FastPath.Packets;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// Remembers the keys of the misses a PMD upcalled in the last few milliseconds, so a flow whose
/// upcall is still in flight (the slow path has not installed its megaflow yet) is upcalled once per
/// window, not once per packet. Direct-mapped and fixed in size: memory and work are bounded, and a
/// collision only costs one extra upcall, never a suppressed one for a different key.
/// </summary>
internal sealed class UpcallSuppressor
{
    private readonly FlowKey[] keys;
    private readonly ulong[] until;
    private readonly int mask;
    private readonly ulong windowCycles;

    /// <summary>A table of <paramref name="slots"/> entries (a power of two); <paramref name="windowCycles"/> 0 turns suppression off.</summary>
    public UpcallSuppressor(int slots, ulong windowCycles)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        }

        keys = new FlowKey[slots];
        until = new ulong[slots];
        mask = slots - 1;
        this.windowCycles = windowCycles;
    }

    /// <summary>
    /// True when <paramref name="key"/> was upcalled less than a window before <paramref name="now"/> (drop this
    /// miss); otherwise remembers it as upcalled now and returns false.
    /// </summary>
    public bool Suppress(in FlowKey key, uint hash, ulong now)
    {
        if (windowCycles == 0)
        {
            return false;
        }

        int i = (int)(hash & (uint)mask);
        if (until[i] > now && keys[i].Equals(key))
        {
            return true;
        }

        keys[i] = key;
        until[i] = now + windowCycles;
        return false;
    }

    /// <summary>Forgets every key (the megaflow table was flushed: the next miss of each goes up at once).</summary>
    public void Clear() => Array.Clear(until);
}
