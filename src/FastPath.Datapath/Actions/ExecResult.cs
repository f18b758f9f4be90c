using System.Runtime.InteropServices;

namespace FastPath.Datapath.Actions;

/// <summary>What executing an action program did to one packet; 8 bytes, returned by value.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct ExecResult
{
    private readonly ExecStatus status;
    private readonly bool consumed;
    private readonly ushort outputs;
    private readonly ushort upcalls;
    private readonly ushort skipped;

    internal ExecResult(ExecStatus status, bool consumed, int outputs, int upcalls, int skipped)
    {
        this.status = status;
        this.consumed = consumed;
        this.outputs = (ushort)outputs;
        this.upcalls = (ushort)upcalls;
        this.skipped = (ushort)skipped;
    }

    /// <summary>How execution ended.</summary>
    public ExecStatus Status => status;

    /// <summary>
    /// True when the program's last action was an output: the sink then owns the packet's frame and
    /// the caller must not free or touch it. False: the caller still owns the frame (and frees it
    /// if nothing else is to happen to it).
    /// </summary>
    public bool Consumed => consumed;

    /// <summary>Number of output actions handed to the sink.</summary>
    public int Outputs => outputs;

    /// <summary>Number of userspace actions handed to the sink.</summary>
    public int Upcalls => upcalls;

    /// <summary>
    /// Number of actions that did nothing because the header they rewrite is absent or truncated, the
    /// L4 protocol differs from the one the action names, pop_vlan found no tag, pop_mpls, dec_mpls_ttl or
    /// set(mpls) found no label, push_mpls met an 802.3 frame, or (SCTP) the packet is a fragment whose
    /// CRC cannot be recomputed.
    /// </summary>
    public int Skipped => skipped;

    /// <summary>The packet went through the whole program (it may still have been output nowhere).</summary>
    public bool IsCompleted => status == ExecStatus.Completed;

    /// <inheritdoc />
    public override string ToString() =>
        $"{status} consumed={consumed} outputs={outputs} upcalls={upcalls} skipped={skipped}";
}
