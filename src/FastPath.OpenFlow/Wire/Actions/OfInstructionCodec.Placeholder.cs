using FastPath.OpenFlow.Instructions;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// PLACEHOLDER until branch wip/wire-actions (which owns the real action and instruction codecs, with this API)
/// is merged: it handles only the empty instruction set / action list, so flow messages can be built and
/// tested with rules that drop. Delete this file when merging wip/wire-actions.
/// </summary>
public static class OfInstructionCodec
{
    /// <summary>Decodes <paramref name="length"/> bytes of instructions (only none, here).</summary>
    public static OfInstructionSet Decode(ref WireReader r, int length, OpenFlowVersion v)
    {
        _ = v;
        return length == 0 ? OfInstructionSet.Drop : throw new NotSupportedException("instruction decoding arrives with wip/wire-actions");
    }

    /// <summary>Encodes instructions (only none, here).</summary>
    public static void Encode(WireWriter w, OfInstructionSet set, OpenFlowVersion v)
    {
        _ = (w, v);
        if (!set.IsDrop)
        {
            throw new NotSupportedException("instruction encoding arrives with wip/wire-actions");
        }
    }

    /// <summary>Decodes an OpenFlow 1.0 action list (only an empty one, here).</summary>
    public static OfInstructionSet DecodeActionList10(ref WireReader r, int length) =>
        length == 0 ? OfInstructionSet.Drop : throw new NotSupportedException("action decoding arrives with wip/wire-actions");

    /// <summary>Encodes an OpenFlow 1.0 action list (only an empty one, here).</summary>
    public static void EncodeActionList10(WireWriter w, OfInstructionSet set)
    {
        _ = w;
        if (!set.IsDrop)
        {
            throw new NotSupportedException("action encoding arrives with wip/wire-actions");
        }
    }
}
