using FastPath.Packets;

namespace FastPath.Datapath.Actions;

/// <summary>
/// Receives the packets an action program outputs or sends to userspace. Implement it on a struct
/// and pass it to <see cref="ActionExecutor"/>'s Execute so the calls are direct, not virtual.
/// </summary>
/// <remarks>
/// Ownership contract: the executor keeps rewriting the same frame after an output that is not the
/// program's last action. So when <c>isLast</c> is false, and always for <see cref="Userspace"/>,
/// the sink must copy (clone) the packet into a frame of its own before the call returns if it wants
/// to keep it, and must neither free the frame nor change the handle. When <c>isLast</c> is true the
/// sink takes ownership of the frame (send it, queue it, or free it); the executor never touches it
/// again and reports <see cref="ExecResult.Consumed"/>.
/// </remarks>
public interface IActionSink
{
    /// <summary>Sends <paramref name="packet"/> to datapath port <paramref name="port"/>; see the ownership contract.</summary>
    void Output(uint port, ref Packet packet, bool isLast);

    /// <summary>Hands <paramref name="packet"/> to the slow path with <paramref name="cookie"/>; copy it to keep it, as execution goes on with the frame.</summary>
    void Userspace(ulong cookie, ref Packet packet);
}
