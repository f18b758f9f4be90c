using FastPath.Packets;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// Remembers the keys of the misses a PMD upcalled in the last few milliseconds, so a flow whose
/// upcall is still in flight (the slow path has not installed its megaflow yet) is upcalled at most a
/// burst of times per window, not once per packet. The burst lets the first packets of a new flow
/// arriving together (the packets a host queued while it resolved the address, a PMD that was not
/// scheduled for a while) all reach the slow path, as Open vSwitch loses none of them, while a flood of
/// one flow still cannot fill the upcall ring. Direct-mapped and fixed in size: memory and work are
/// bounded, and a collision only costs extra upcalls, never a suppressed one for a different key.
/// </summary>
internal sealed class UpcallSuppressor
{
    private readonly FlowKey[] keys;
    private readonly ulong[] until;
    private readonly int[] upcalled;
    private readonly int mask;
    private readonly ulong windowCycles;
    private readonly int burst;

    /// <summary>
    /// A table of <paramref name="slots"/> entries (a power of two) letting <paramref name="burst"/> misses of a key
    /// go up per window; <paramref name="windowCycles"/> 0 turns suppression off.
    /// </summary>
    public UpcallSuppressor(int slots, ulong windowCycles, int burst = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        }

        keys = new FlowKey[slots];
        until = new ulong[slots];
        upcalled = new int[slots];
        mask = slots - 1;
        this.windowCycles = windowCycles;
        this.burst = burst;
    }

    /// <summary>
    /// True when <paramref name="key"/> was upcalled a burst of times since its window began, less than a window
    /// before <paramref name="now"/> (drop this miss); otherwise counts it as upcalled (starting a window if none is
    /// open) and returns false.
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
            if (upcalled[i] >= burst)
            {
                return true;
            }

            upcalled[i]++;
            return false;
        }

        keys[i] = key;
        until[i] = now + windowCycles;
        upcalled[i] = 1;
        return false;
    }

    /// <summary>Forgets every key (the megaflow table was flushed: the next miss of each goes up at once).</summary>
    public void Clear() => Array.Clear(until);
}
