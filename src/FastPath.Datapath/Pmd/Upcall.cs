using System.Runtime.CompilerServices;
using FastPath.Packets;

namespace FastPath.Datapath.Pmd;

/// <summary>Why a packet went to the slow path.</summary>
public enum UpcallReason : byte
{
    /// <summary>No megaflow matched.</summary>
    Miss,
    /// <summary>A userspace action (controller action, sampling, ...).</summary>
    Action,
}

/// <summary>
/// A packet handed to the slow path: a copy of its bytes, its key and in_port. Lives in place in a slot
/// of the upcall ring, so the PMD copies the packet once and allocates nothing.
/// </summary>
public struct Upcall
{
    /// <summary>Largest packet an upcall carries; longer packets are truncated to this (and flagged).</summary>
    public const int MaxLength = 2048;

    /// <summary>The packet's flow key as the PMD extracted it.</summary>
    public FlowKey Key;

    /// <summary>Datapath port the packet came in on.</summary>
    public uint InPort;

    /// <summary>Why the packet came up.</summary>
    public UpcallReason Reason;

    /// <summary>Whether the copy was cut at <see cref="MaxLength"/>.</summary>
    public bool Truncated;

    /// <summary>The userspace action's cookie (for <see cref="UpcallReason.Action"/>).</summary>
    public ulong Cookie;

    /// <summary>Bytes of the packet held in <see cref="Data"/>.</summary>
    public int Length;

    /// <summary>Copy of the packet.</summary>
    public UpcallData Data;

    /// <summary>The copied packet bytes.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public ReadOnlySpan<byte> Packet => ((ReadOnlySpan<byte>)Data)[..Length];
}

/// <summary>Inline storage for an upcall's packet copy.</summary>
[InlineArray(Upcall.MaxLength)]
public struct UpcallData
{
    private byte first;
}
