using System.Runtime.CompilerServices;
using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Datapath.Pmd;

/// <summary>Routes a PMD's action outputs to its tx buffers and userspace actions to its upcall ring; a struct so calls are direct.</summary>
internal readonly struct PmdSink(PmdThread pmd, PacketPool pool) : IActionSink
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(uint port, ref Packet packet, bool isLast) => pmd.Output(pool, port, ref packet, isLast);

    /// <inheritdoc />
    public void Userspace(ulong cookie, ref Packet packet) => pmd.Userspace(pool, cookie, ref packet);
}
