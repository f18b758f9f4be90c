namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// Reads one body (or one list entry) that follows a multipart or vendor header. It consumes exactly its bytes
/// and throws <see cref="OfErrorException"/> on anything malformed.
/// </summary>
/// <typeparam name="T">What the body decodes to.</typeparam>
public delegate T BodyDecoder<T>(ref WireReader body, OfSession session);

/// <summary>Writes one body (or one list entry) that follows a multipart or vendor header.</summary>
/// <typeparam name="T">What is encoded.</typeparam>
public delegate void BodyEncoder<in T>(T value, WireWriter w, OfSession session);

/// <summary>Codecs for bodies that carry nothing (OFPMP_DESC, OFPMP_PORT_DESC in 1.3, ... requests).</summary>
/// <typeparam name="T">The record, which has no parameters.</typeparam>
public static class EmptyBody<T>
    where T : new()
{
    /// <summary>Decodes an empty body; any byte there is OFPBRC_BAD_LEN, as Open vSwitch's length check answers.</summary>
    public static T Decode(ref WireReader body, OfSession session)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"{typeof(T).Name} carries no body, got {body.Remaining} bytes");
        }

        return new T();
    }

    /// <summary>Writes nothing.</summary>
    public static void Encode(T value, WireWriter w, OfSession session)
    {
    }
}
