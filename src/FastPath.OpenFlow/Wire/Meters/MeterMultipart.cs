using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Meters;

/// <summary>OFPMP_METER request: statistics of one meter, or of every meter (<see cref="OfMeterIds.All"/>).</summary>
/// <param name="MeterId">The meter.</param>
public sealed record MeterStatsRequest(uint MeterId = OfMeterIds.All) : MultipartRequest;

/// <summary>OFPMP_METER reply: what <c>ovs-ofctl meter-stats</c> prints.</summary>
/// <param name="Meters">The meters' statistics.</param>
public sealed record MeterStatsReply(IReadOnlyList<OfMeterStats> Meters) : MultipartReply, IMultipartListReply<MeterStatsReply, OfMeterStats>
{
    /// <inheritdoc/>
    public IReadOnlyList<OfMeterStats> Items => Meters;

    /// <inheritdoc/>
    public static MeterStatsReply Create(IReadOnlyList<OfMeterStats> items) => new(items);
}

/// <summary>OFPMP_METER_CONFIG request: one meter, or every meter.</summary>
/// <param name="MeterId">The meter.</param>
public sealed record MeterConfigRequest(uint MeterId = OfMeterIds.All) : MultipartRequest;

/// <summary>OFPMP_METER_CONFIG reply: what <c>ovs-ofctl dump-meters</c> prints.</summary>
/// <param name="Meters">The meters.</param>
public sealed record MeterConfigReply(IReadOnlyList<OfMeterConfig> Meters) : MultipartReply, IMultipartListReply<MeterConfigReply, OfMeterConfig>
{
    /// <inheritdoc/>
    public IReadOnlyList<OfMeterConfig> Items => Meters;

    /// <inheritdoc/>
    public static MeterConfigReply Create(IReadOnlyList<OfMeterConfig> items) => new(items);
}

/// <summary>OFPMP_METER_FEATURES request.</summary>
public sealed record MeterFeaturesRequest : MultipartRequest;

/// <summary>OFPMP_METER_FEATURES reply.</summary>
/// <param name="Features">What the meter table supports.</param>
public sealed record MeterFeaturesReply(OfMeterFeatures Features) : MultipartReply;

/// <summary>The multipart body codecs of the meter records, in the framework's delegate shapes.</summary>
public static class MeterMultipartCodec
{
    /// <summary>Decodes a meter-stats request body.</summary>
    public static MeterStatsRequest DecodeStatsRequest(ref WireReader body, OfSession s) => new(MeterCodec.DecodeMeterRequest(ref body, s));

    /// <summary>Encodes a meter-stats request body.</summary>
    public static void EncodeStatsRequest(MeterStatsRequest r, WireWriter w, OfSession s) => MeterCodec.EncodeMeterRequest(r.MeterId, w, s);

    /// <summary>Decodes a meter-config request body.</summary>
    public static MeterConfigRequest DecodeConfigRequest(ref WireReader body, OfSession s) => new(MeterCodec.DecodeMeterRequest(ref body, s));

    /// <summary>Encodes a meter-config request body.</summary>
    public static void EncodeConfigRequest(MeterConfigRequest r, WireWriter w, OfSession s) => MeterCodec.EncodeMeterRequest(r.MeterId, w, s);

    /// <summary>Decodes a meter-features reply body.</summary>
    public static MeterFeaturesReply DecodeFeaturesReply(ref WireReader body, OfSession s) => new(MeterCodec.DecodeMeterFeatures(ref body, s));

    /// <summary>Encodes a meter-features reply body.</summary>
    public static void EncodeFeaturesReply(MeterFeaturesReply r, WireWriter w, OfSession s) => MeterCodec.EncodeMeterFeatures(r.Features, w, s);
}
