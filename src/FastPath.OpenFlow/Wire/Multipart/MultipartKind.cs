namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// Which multipart body a message carries: a standard <see cref="MultipartType"/>, or for
/// <see cref="MultipartType.Experimenter"/> the vendor id and the vendor's subtype (Nicira's NXST_*).
/// </summary>
/// <param name="Type">The multipart type.</param>
/// <param name="Vendor">The vendor (experimenter) id; 0 for standard types.</param>
/// <param name="Subtype">The vendor's subtype; 0 for standard types.</param>
public readonly record struct MultipartKind(MultipartType Type, uint Vendor = 0, uint Subtype = 0)
{
    /// <summary>A Nicira statistics kind (NXST_*), carried as OFPST_VENDOR / OFPMP_EXPERIMENTER.</summary>
    public static MultipartKind Nx(uint subtype) => new(MultipartType.Experimenter, Wire.Nx.NxCodec.NiciraVendorId, subtype);

    /// <inheritdoc/>
    public override string ToString()
        => Type == MultipartType.Experimenter ? $"experimenter 0x{Vendor:x8} subtype {Subtype}" : Type.ToString();
}
