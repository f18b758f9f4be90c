using FastPath.OpenFlow.Wire.Multipart;
using FastPath.OpenFlow.Wire.Tables;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>
/// OFPMP_TABLE_FEATURES request: empty to ask for every table's features, or the features to set (which a switch may
/// refuse with OFPTFFC_EPERM, as Open vSwitch does). A long one arrives split with OFPMPF_REQ_MORE.
/// </summary>
/// <param name="Tables">The features to set; empty for a query.</param>
public sealed record TableFeaturesRequest(IReadOnlyList<TableFeatures> Tables) : MultipartRequest;

/// <summary>OFPMP_TABLE_FEATURES reply: every table's features (about 1 MiB for Open vSwitch's 254 tables, so many parts).</summary>
/// <param name="Tables">One entry per table.</param>
public sealed record TableFeaturesReply(IReadOnlyList<TableFeatures> Tables) : MultipartReply, IMultipartListReply<TableFeaturesReply, TableFeatures>
{
    /// <inheritdoc/>
    public IReadOnlyList<TableFeatures> Items => Tables;

    /// <inheritdoc/>
    public static TableFeaturesReply Create(IReadOnlyList<TableFeatures> items) => new(items);
}
