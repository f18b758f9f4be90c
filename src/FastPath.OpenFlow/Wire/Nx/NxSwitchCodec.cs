using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Nx;

/// <summary>Bodies of Open vSwitch's switch-level Nicira messages (after the vendor header).</summary>
public static class NxSwitchCodec
{
    /// <summary>Reads nx_controller_id: 6 pad bytes and the id.</summary>
    public static SetControllerId DecodeSetControllerId(ref WireReader body, OfSession session)
    {
        body.Skip(6);
        return new SetControllerId(body.U16());
    }

    /// <summary>Writes nx_controller_id.</summary>
    public static void EncodeSetControllerId(SetControllerId m, WireWriter w, OfSession session)
    {
        w.Zeros(6);
        w.U16(m.ControllerId);
    }
}
