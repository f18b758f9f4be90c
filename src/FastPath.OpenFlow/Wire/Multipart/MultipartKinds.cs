using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Wire.Flows;
using FastPath.OpenFlow.Wire.Groups;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Meters;
using FastPath.OpenFlow.Wire.Monitor;
using FastPath.OpenFlow.Wire.Nx;
using FastPath.OpenFlow.Wire.Ports;
using FastPath.OpenFlow.Wire.Switch;
using FastPath.OpenFlow.Wire.Tables;

namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// Every multipart kind the codec knows, one line each. To add one: write the request and reply records (the reply
/// implements <see cref="IMultipartListReply{TSelf, TItem}"/> if it is a list) and their body codecs, and add a line
/// here with <see cref="MultipartEntry.Single{TRequest, TReply}"/> or <see cref="MultipartEntry.List{TRequest, TReply, TItem}"/>.
/// </summary>
public static class MultipartKinds
{
    /// <summary>The table, in lookup order: for encoding, the first entry taking the record on the session wins.</summary>
    public static IReadOnlyList<MultipartEntry> All { get; } =
    [
        MultipartEntry.Single<DescRequest, DescReply>(new(MultipartType.Desc), OpenFlowVersion.OF10, EmptyBody<DescRequest>.Decode, EmptyBody<DescRequest>.Encode, DescCodec.Decode, DescCodec.Encode),
        MultipartEntry.List<TableStatsRequest, TableStatsReply, TableStats>(new(MultipartType.Table), OpenFlowVersion.OF10, EmptyBody<TableStatsRequest>.Decode, EmptyBody<TableStatsRequest>.Encode, TableStatsCodec.DecodeItem, TableStatsCodec.EncodeItem),
        MultipartEntry.List<FlowStatsRequest, FlowStatsReply, FlowStatsEntry>(new(MultipartType.Flow), OpenFlowVersion.OF10, FlowStatsCodec.DecodeRequest, FlowStatsCodec.EncodeRequest, FlowStatsCodec.DecodeItem, FlowStatsCodec.EncodeItem),
        MultipartEntry.Single<AggregateStatsRequest, AggregateStatsReply>(new(MultipartType.Aggregate), OpenFlowVersion.OF10, FlowStatsCodec.DecodeAggregateRequest, FlowStatsCodec.EncodeRequest, FlowStatsCodec.DecodeAggregateReply, FlowStatsCodec.EncodeAggregateReply),
        MultipartEntry.List<NxFlowStatsRequest, NxFlowStatsReply, FlowStatsEntry>(MultipartKind.Nx((uint)NxStatsType.Flow), OpenFlowVersion.OF10, FlowStatsCodec.DecodeNxRequest, FlowStatsCodec.EncodeNxRequest, FlowStatsCodec.DecodeNxItem, FlowStatsCodec.EncodeNxItem),
        MultipartEntry.Single<NxAggregateStatsRequest, NxAggregateStatsReply>(MultipartKind.Nx((uint)NxStatsType.Aggregate), OpenFlowVersion.OF10, FlowStatsCodec.DecodeNxAggregateRequest, FlowStatsCodec.EncodeNxRequest, FlowStatsCodec.DecodeNxAggregateReply, FlowStatsCodec.EncodeNxAggregateReply),
        MultipartEntry.List<PortDescRequest, PortDescReply, OfPortDesc>(new(MultipartType.PortDesc), OpenFlowVersion.OF10, PortMessagesCodec.DecodePortDescRequest, PortMessagesCodec.EncodePortDescRequest, PortDescCodec.Decode, PortDescCodec.Encode),
        MultipartEntry.List<PortStatsRequest, PortStatsReply, PortStats>(new(MultipartType.PortStats), OpenFlowVersion.OF10, PortMessagesCodec.DecodePortStatsRequest, PortMessagesCodec.EncodePortStatsRequest, PortMessagesCodec.DecodePortStats, PortMessagesCodec.EncodePortStats),
        MultipartEntry.List<QueueStatsRequest, QueueStatsReply, QueueStats>(new(MultipartType.QueueStats), OpenFlowVersion.OF10, QueueCodec.DecodeStatsRequest, QueueCodec.EncodeStatsRequest, QueueCodec.DecodeStats, QueueCodec.EncodeStats),
        MultipartEntry.List<TableFeaturesRequest, TableFeaturesReply, TableFeatures>(new(MultipartType.TableFeatures), OpenFlowVersion.OF13, TableFeaturesCodec.DecodeRequest, TableFeaturesCodec.EncodeRequest, TableFeaturesCodec.DecodeItem, TableFeaturesCodec.EncodeItem),
        MultipartEntry.List<TableDescRequest, TableDescReply, TableDesc>(new(MultipartType.TableDesc), OpenFlowVersion.OF14, EmptyBody<TableDescRequest>.Decode, EmptyBody<TableDescRequest>.Encode, TableMessagesCodec.DecodeDesc, TableMessagesCodec.EncodeDesc),
        MultipartEntry.List<QueueDescRequest, QueueDescReply, QueueConfig>(new(MultipartType.QueueDesc), OpenFlowVersion.OF14, QueueCodec.DecodeDescRequest, QueueCodec.EncodeDescRequest, QueueCodec.DecodeDesc, QueueCodec.EncodeDesc),
        MultipartEntry.List<GroupStatsRequest, GroupStatsReply, OfGroupStats>(new(MultipartType.Group), OpenFlowVersion.OF13, GroupMultipartCodec.DecodeStatsRequest, GroupMultipartCodec.EncodeStatsRequest, GroupCodec.DecodeGroupStats, GroupCodec.EncodeGroupStats),
        MultipartEntry.List<GroupDescRequest, GroupDescReply, GroupDescription>(new(MultipartType.GroupDesc), OpenFlowVersion.OF13, GroupMultipartCodec.DecodeDescRequest, GroupMultipartCodec.EncodeDescRequest, GroupCodec.DecodeGroupDesc, GroupCodec.EncodeGroupDesc),
        MultipartEntry.Single<GroupFeaturesRequest, GroupFeaturesReply>(new(MultipartType.GroupFeatures), OpenFlowVersion.OF13, EmptyBody<GroupFeaturesRequest>.Decode, EmptyBody<GroupFeaturesRequest>.Encode, GroupMultipartCodec.DecodeFeaturesReply, GroupMultipartCodec.EncodeFeaturesReply),
        MultipartEntry.List<GroupStatsRequest, GroupStatsReply, OfGroupStats>(MultipartKind.Nx((uint)NxStatsType.Group), OpenFlowVersion.OF10, GroupMultipartCodec.DecodeStatsRequest, GroupMultipartCodec.EncodeStatsRequest, GroupCodec.DecodeGroupStats, GroupCodec.EncodeGroupStats, maxVersion: OpenFlowVersion.OF10),
        MultipartEntry.List<GroupDescRequest, GroupDescReply, GroupDescription>(MultipartKind.Nx((uint)NxStatsType.GroupDesc), OpenFlowVersion.OF10, GroupMultipartCodec.DecodeDescRequest, GroupMultipartCodec.EncodeDescRequest, GroupCodec.DecodeGroupDesc, GroupCodec.EncodeGroupDesc, maxVersion: OpenFlowVersion.OF10),
        MultipartEntry.Single<GroupFeaturesRequest, GroupFeaturesReply>(MultipartKind.Nx((uint)NxStatsType.GroupFeatures), OpenFlowVersion.OF10, EmptyBody<GroupFeaturesRequest>.Decode, EmptyBody<GroupFeaturesRequest>.Encode, GroupMultipartCodec.DecodeFeaturesReply, GroupMultipartCodec.EncodeFeaturesReply, maxVersion: OpenFlowVersion.OF10),
        MultipartEntry.List<MeterStatsRequest, MeterStatsReply, OfMeterStats>(new(MultipartType.Meter), OpenFlowVersion.OF13, MeterMultipartCodec.DecodeStatsRequest, MeterMultipartCodec.EncodeStatsRequest, MeterCodec.DecodeMeterStats, MeterCodec.EncodeMeterStats),
        MultipartEntry.List<MeterConfigRequest, MeterConfigReply, OfMeterConfig>(new(MultipartType.MeterConfig), OpenFlowVersion.OF13, MeterMultipartCodec.DecodeConfigRequest, MeterMultipartCodec.EncodeConfigRequest, MeterCodec.DecodeMeterConfig, MeterCodec.EncodeMeterConfig),
        MultipartEntry.Single<MeterFeaturesRequest, MeterFeaturesReply>(new(MultipartType.MeterFeatures), OpenFlowVersion.OF13, EmptyBody<MeterFeaturesRequest>.Decode, EmptyBody<MeterFeaturesRequest>.Encode, MeterMultipartCodec.DecodeFeaturesReply, MeterMultipartCodec.EncodeFeaturesReply),
        MultipartEntry.List<FlowMonitorRequest, FlowMonitorReply, FlowUpdate>(MultipartKind.Nx((uint)NxStatsType.FlowMonitor), OpenFlowVersion.OF10, FlowMonitorCodec.DecodeNxRequest, FlowMonitorCodec.EncodeNxRequest, FlowMonitorCodec.DecodeNxUpdate, FlowMonitorCodec.EncodeNxUpdate, maxVersion: OpenFlowVersion.OF10),
        MultipartEntry.List<FlowMonitorRequest, FlowMonitorReply, FlowUpdate>(new(MultipartType.Experimenter, NxCodec.OnfVendorId, FlowMonitorCodec.OnfFlowMonitor), OpenFlowVersion.OF13, FlowMonitorCodec.DecodeOnfRequest, FlowMonitorCodec.EncodeOnfRequest, FlowMonitorCodec.DecodeOnfUpdate, FlowMonitorCodec.EncodeOnfUpdate, maxVersion: OpenFlowVersion.OF13),
        MultipartEntry.List<FlowMonitorRequest, FlowMonitorReply, FlowUpdate>(new(MultipartType.FlowMonitor), OpenFlowVersion.OF14, FlowMonitorCodec.Decode14Request, FlowMonitorCodec.Encode14Request, FlowMonitorCodec.Decode14Update, FlowMonitorCodec.Encode14Update),
    ];
}
