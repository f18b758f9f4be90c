using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Switch;

/// <summary>struct ofp_desc: five NUL-padded strings, 1056 bytes in every version.</summary>
public static class DescCodec
{
    /// <summary>Width of the long description strings (DESC_STR_LEN).</summary>
    public const int DescLength = 256;

    /// <summary>Width of the serial number (SERIAL_NUM_LEN).</summary>
    public const int SerialLength = 32;

    /// <summary>Reads an ofp_desc.</summary>
    public static DescReply Decode(ref WireReader body, OfSession session)
        => new(body.FixedString(DescLength), body.FixedString(DescLength), body.FixedString(DescLength), body.FixedString(SerialLength), body.FixedString(DescLength));

    /// <summary>Writes an ofp_desc.</summary>
    public static void Encode(DescReply m, WireWriter w, OfSession session)
    {
        w.FixedString(m.Manufacturer, DescLength);
        w.FixedString(m.Hardware, DescLength);
        w.FixedString(m.Software, DescLength);
        w.FixedString(m.SerialNumber, SerialLength);
        w.FixedString(m.DatapathDescription, DescLength);
    }
}
