using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Nx;

/// <summary>
/// One vendor (experimenter) message the codec knows: vendor id, subtype, the record and its body codec. Made with
/// <see cref="Of{T}"/> and listed in <see cref="NxCodec"/>'s table.
/// </summary>
public abstract class NxEntry
{
    private protected NxEntry(uint vendor, uint subtype)
    {
        Vendor = vendor;
        Subtype = subtype;
    }

    /// <summary>The vendor id (<see cref="NxCodec.NiciraVendorId"/>, <see cref="NxCodec.OnfVendorId"/>).</summary>
    public uint Vendor { get; }

    /// <summary>The vendor's message subtype (NXT_*).</summary>
    public uint Subtype { get; }

    /// <summary>The record.</summary>
    public abstract Type RecordType { get; }

    /// <summary>
    /// A vendor message carrying <typeparamref name="T"/>. Decoding accepts it on every version (as Open vSwitch
    /// does for NXT_* messages); encoding uses it only for the messages and sessions <paramref name="when"/> accepts (all if null),
    /// so a record with a standard form elsewhere (a role request: OFPT_ROLE_REQUEST in 1.3, NXT_ROLE_REQUEST in 1.0)
    /// picks the vendor form only where it should.
    /// </summary>
    public static NxEntry Of<T>(uint vendor, uint subtype, BodyDecoder<T> decode, BodyEncoder<T> encode, Func<T, OfSession, bool>? when = null)
        where T : OfMessage
        => new Typed<T>(vendor, subtype, decode, encode, when);

    /// <summary>A Nicira message (<see cref="NxCodec.NiciraVendorId"/>).</summary>
    public static NxEntry Nicira<T>(NxType subtype, BodyDecoder<T> decode, BodyEncoder<T> encode, Func<T, OfSession, bool>? when = null)
        where T : OfMessage
        => new Typed<T>(NxCodec.NiciraVendorId, (uint)subtype, decode, encode, when);

    /// <summary>Whether this entry encodes <paramref name="message"/> on <paramref name="session"/>.</summary>
    internal abstract bool EncodesOn(OfMessage message, OfSession session);

    /// <summary>Reads the body after the vendor header.</summary>
    internal abstract OfMessage Decode(ref WireReader body, OfSession session);

    /// <summary>Writes the body after the vendor header.</summary>
    internal abstract void Encode(OfMessage message, WireWriter w, OfSession session);

    private sealed class Typed<T>(uint vendor, uint subtype, BodyDecoder<T> decode, BodyEncoder<T> encode, Func<T, OfSession, bool>? when)
        : NxEntry(vendor, subtype)
        where T : OfMessage
    {
        public override Type RecordType => typeof(T);

        internal override bool EncodesOn(OfMessage message, OfSession session) => when is null || when((T)message, session);

        internal override OfMessage Decode(ref WireReader body, OfSession session) => decode(ref body, session);

        internal override void Encode(OfMessage message, WireWriter w, OfSession session) => encode((T)message, w, session);
    }
}
