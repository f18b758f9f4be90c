using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPMP_DESC request: asks who made the switch.</summary>
public sealed record DescRequest : MultipartRequest;

/// <summary>OFPMP_DESC reply (struct ofp_desc, the same in every version).</summary>
/// <param name="Manufacturer">mfr_desc (at most 255 ASCII characters).</param>
/// <param name="Hardware">hw_desc.</param>
/// <param name="Software">sw_desc.</param>
/// <param name="SerialNumber">serial_num (at most 31 characters).</param>
/// <param name="DatapathDescription">dp_desc.</param>
public sealed record DescReply(string Manufacturer, string Hardware, string Software, string SerialNumber, string DatapathDescription) : MultipartReply;
