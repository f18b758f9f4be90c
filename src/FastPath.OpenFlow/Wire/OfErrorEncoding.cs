using System.Collections.Frozen;
using System.Globalization;

namespace FastPath.OpenFlow.Wire;

/// <summary>
/// How each <see cref="OfError"/> is numbered on the wire of each version, and back: OpenFlow 1.0's own types and
/// codes, the standard numbering of 1.3/1.4/1.5, and for errors a version lacks, the vendor forms Open vSwitch sends
/// (its lib/ofp-errors tables, checked against Open vSwitch 3.1's decoder): in OpenFlow 1.0 a Nicira vendor error
/// (type NXET_VENDOR 0xb0c2, code NXVC_VENDOR_ERROR 0, then vendor id, NX type and NX code before the data), in 1.2+
/// OFPET_EXPERIMENTER (0xffff) with the experimenter code and the experimenter id (Nicira's, or the ONF's for 1.3's
/// bundle, property and set-field-mask errors). An error with no form at all in a version is sent as Open vSwitch
/// does: NXBRC_UNENCODABLE_ERROR.
/// </summary>
public static class OfErrorEncoding
{
    /// <summary>OpenFlow 1.0's vendor error type (NXET_VENDOR).</summary>
    public const ushort NxVendorErrorType = 0xb0c2;

    /// <summary>OpenFlow 1.2+'s experimenter error type (OFPET_EXPERIMENTER).</summary>
    public const ushort ExperimenterErrorType = 0xffff;

    /// <summary>The ONF's experimenter id (ONF_VENDOR_ID).</summary>
    public const uint OnfVendor = 0x4f4e4600;

    // Per error: its name as Open vSwitch prints it and its form in OpenFlow 1.0, 1.3, 1.4, 1.5: "type,code" standard;
    // "nx:type,code" the 1.0 Nicira vendor error; "nx:code" / "onf:code" the 1.2+ experimenter error; "" none.
    private static readonly Entry[] Table =
    [
        new(OfError.HelloIncompatible, "OFPHFC_INCOMPATIBLE", "0,0", "0,0", "0,0", "0,0"),
        new(OfError.HelloPermission, "OFPHFC_EPERM", "0,1", "0,1", "0,1", "0,1"),
        new(OfError.BadRequestBadVersion, "OFPBRC_BAD_VERSION", "1,0", "1,0", "1,0", "1,0"),
        new(OfError.BadRequestBadType, "OFPBRC_BAD_TYPE", "1,1", "1,1", "1,1", "1,1"),
        new(OfError.BadRequestBadMultipart, "OFPBRC_BAD_STAT", "1,2", "1,2", "1,2", "1,2"),
        new(OfError.BadRequestBadExperimenter, "OFPBRC_BAD_VENDOR", "1,3", "1,3", "1,3", "1,3"),
        new(OfError.BadRequestBadExpType, "OFPBRC_BAD_SUBTYPE", "1,4", "1,4", "1,4", "1,4"),
        new(OfError.BadRequestPermission, "OFPBRC_EPERM", "1,5", "1,5", "1,5", "1,5"),
        new(OfError.BadRequestBadLen, "OFPBRC_BAD_LEN", "1,6", "1,6", "1,6", "1,6"),
        new(OfError.BadRequestBufferEmpty, "OFPBRC_BUFFER_EMPTY", "1,7", "1,7", "1,7", "1,7"),
        new(OfError.BadRequestBufferUnknown, "OFPBRC_BUFFER_UNKNOWN", "1,8", "1,8", "1,8", "1,8"),
        new(OfError.BadActionBadType, "OFPBAC_BAD_TYPE", "2,0", "2,0", "2,0", "2,0"),
        new(OfError.BadActionBadLen, "OFPBAC_BAD_LEN", "2,1", "2,1", "2,1", "2,1"),
        new(OfError.BadActionBadExperimenter, "OFPBAC_BAD_VENDOR", "2,2", "2,2", "2,2", "2,2"),
        new(OfError.BadActionBadExpType, "OFPBAC_BAD_VENDOR_TYPE", "2,3", "2,3", "2,3", "2,3"),
        new(OfError.BadActionBadOutPort, "OFPBAC_BAD_OUT_PORT", "2,4", "2,4", "2,4", "2,4"),
        new(OfError.BadActionBadArgument, "OFPBAC_BAD_ARGUMENT", "2,5", "2,5", "2,5", "2,5"),
        new(OfError.BadActionPermission, "OFPBAC_EPERM", "2,6", "2,6", "2,6", "2,6"),
        new(OfError.BadActionTooMany, "OFPBAC_TOO_MANY", "2,7", "2,7", "2,7", "2,7"),
        new(OfError.BadActionBadQueue, "OFPBAC_BAD_QUEUE", "2,8", "2,8", "2,8", "2,8"),
        new(OfError.FlowModFailedTableFull, "OFPFMFC_TABLE_FULL", "3,0", "5,1", "5,1", "5,1"),
        new(OfError.FlowModFailedOverlap, "OFPFMFC_OVERLAP", "3,1", "5,3", "5,3", "5,3"),
        new(OfError.FlowModFailedPermission, "OFPFMFC_EPERM", "3,2", "5,4", "5,4", "5,4"),
        new(OfError.FlowModFailedBadEmergTimeout, "OFPFMFC_BAD_EMERG_TIMEOUT", "3,3", "", "", ""),
        new(OfError.FlowModFailedBadCommand, "OFPFMFC_BAD_COMMAND", "3,4", "5,6", "5,6", "5,6"),
        new(OfError.FlowModFailedUnsupported, "OFPFMFC_UNSUPPORTED", "3,5", "", "", ""),
        new(OfError.PortModFailedBadPort, "OFPPMFC_BAD_PORT", "4,0", "7,0", "7,0", "7,0"),
        new(OfError.PortModFailedBadHwAddr, "OFPPMFC_BAD_HW_ADDR", "4,1", "7,1", "7,1", "7,1"),
        new(OfError.QueueOpFailedBadPort, "OFPQOFC_BAD_PORT", "5,0", "9,0", "9,0", "9,0"),
        new(OfError.QueueOpFailedBadQueue, "OFPQOFC_BAD_QUEUE", "5,1", "9,1", "9,1", "9,1"),
        new(OfError.QueueOpFailedPermission, "OFPQOFC_EPERM", "5,2", "9,2", "9,2", "9,2"),
        new(OfError.BadRequestBadTableId, "OFPBRC_BAD_TABLE_ID", "nx:1,512", "1,9", "1,9", "1,9"),
        new(OfError.BadRequestIsSlave, "OFPBRC_IS_SECONDARY", "1,5", "1,10", "1,10", "1,10"),
        new(OfError.BadRequestBadPort, "OFPBRC_BAD_PORT", "nx:1,514", "1,11", "1,11", "1,11"),
        new(OfError.BadRequestBadPacket, "OFPBRC_BAD_PACKET", "", "1,12", "1,12", "1,12"),
        new(OfError.BadRequestMultipartBufferOverflow, "OFPBRC_MULTIPART_BUFFER_OVERFLOW", "", "1,13", "1,13", "1,13"),
        new(OfError.BadActionBadOutGroup, "OFPBAC_BAD_OUT_GROUP", "nx:2,9", "2,9", "2,9", "2,9"),
        new(OfError.BadActionMatchInconsistent, "OFPBAC_MATCH_INCONSISTENT", "nx:1,522", "2,10", "2,10", "2,10"),
        new(OfError.BadActionUnsupportedOrder, "OFPBAC_UNSUPPORTED_ORDER", "", "2,11", "2,11", "2,11"),
        new(OfError.BadActionBadTag, "OFPBAC_BAD_TAG", "", "2,12", "2,12", "2,12"),
        new(OfError.BadActionBadSetType, "OFPBAC_BAD_SET_TYPE", "nx:1,523", "2,13", "2,13", "2,13"),
        new(OfError.BadActionBadSetLen, "OFPBAC_BAD_SET_LEN", "nx:1,524", "2,14", "2,14", "2,14"),
        new(OfError.BadActionBadSetArgument, "OFPBAC_BAD_SET_ARGUMENT", "nx:1,525", "2,15", "2,15", "2,15"),
        new(OfError.BadInstructionUnknownInst, "OFPBIC_UNKNOWN_INST", "", "3,0", "3,0", "3,0"),
        new(OfError.BadInstructionUnsupInst, "OFPBIC_UNSUP_INST", "nx:2,257", "3,1", "3,1", "3,1"),
        new(OfError.BadInstructionBadTableId, "OFPBIC_BAD_TABLE_ID", "", "3,2", "3,2", "3,2"),
        new(OfError.BadInstructionUnsupMetadata, "OFPBIC_UNSUP_METADATA", "", "3,3", "3,3", "3,3"),
        new(OfError.BadInstructionUnsupMetadataMask, "OFPBIC_UNSUP_METADATA_MASK", "", "3,4", "3,4", "3,4"),
        new(OfError.BadInstructionBadExperimenter, "OFPBIC_BAD_EXPERIMENTER", "", "3,5", "3,5", "3,5"),
        new(OfError.BadInstructionBadExpType, "OFPBIC_BAD_EXP_TYPE", "", "3,6", "3,6", "3,6"),
        new(OfError.BadInstructionBadLen, "OFPBIC_BAD_LEN", "", "3,7", "3,7", "3,7"),
        new(OfError.BadInstructionPermission, "OFPBIC_EPERM", "", "3,8", "3,8", "3,8"),
        new(OfError.BadMatchBadType, "OFPBMC_BAD_TYPE", "", "4,0", "4,0", "4,0"),
        new(OfError.BadMatchBadLen, "OFPBMC_BAD_LEN", "", "4,1", "4,1", "4,1"),
        new(OfError.BadMatchBadTag, "OFPBMC_BAD_TAG", "", "4,2", "4,2", "4,2"),
        new(OfError.BadMatchBadDlAddrMask, "OFPBMC_BAD_DL_ADDR_MASK", "", "4,3", "4,3", "4,3"),
        new(OfError.BadMatchBadNwAddrMask, "OFPBMC_BAD_NW_ADDR_MASK", "", "4,4", "4,4", "4,4"),
        new(OfError.BadMatchBadWildcards, "OFPBMC_BAD_WILDCARDS", "nx:1,262", "4,5", "4,5", "4,5"),
        new(OfError.BadMatchBadField, "OFPBMC_BAD_FIELD", "nx:0,263", "4,6", "4,6", "4,6"),
        new(OfError.BadMatchBadValue, "OFPBMC_BAD_VALUE", "nx:1,258", "4,7", "4,7", "4,7"),
        new(OfError.BadMatchBadMask, "OFPBMC_BAD_MASK", "nx:1,259", "4,8", "4,8", "4,8"),
        new(OfError.BadMatchBadPrereq, "OFPBMC_BAD_PREREQ", "nx:1,260", "4,9", "4,9", "4,9"),
        new(OfError.BadMatchDupField, "OFPBMC_DUP_FIELD", "nx:1,261", "4,10", "4,10", "4,10"),
        new(OfError.BadMatchPermission, "OFPBMC_EPERM", "", "4,11", "4,11", "4,11"),
        new(OfError.FlowModFailedUnknown, "OFPFMFC_UNKNOWN", "", "5,0", "5,0", "5,0"),
        new(OfError.FlowModFailedBadTableId, "OFPFMFC_BAD_TABLE_ID", "", "5,2", "5,2", "5,2"),
        new(OfError.FlowModFailedBadTimeout, "OFPFMFC_BAD_TIMEOUT", "", "5,5", "5,5", "5,5"),
        new(OfError.FlowModFailedBadFlags, "OFPFMFC_BAD_FLAGS", "nx:3,258", "5,7", "5,7", "5,7"),
        new(OfError.GroupModFailedGroupExists, "OFPGMFC_GROUP_EXISTS", "nx:6,0", "6,0", "6,0", "6,0"),
        new(OfError.GroupModFailedInvalidGroup, "OFPGMFC_INVALID_GROUP", "nx:6,1", "6,1", "6,1", "6,1"),
        new(OfError.GroupModFailedWeightUnsupported, "OFPGMFC_WEIGHT_UNSUPPORTED", "nx:6,2", "6,2", "6,2", "6,2"),
        new(OfError.GroupModFailedOutOfGroups, "OFPGMFC_OUT_OF_GROUPS", "nx:6,3", "6,3", "6,3", "6,3"),
        new(OfError.GroupModFailedOutOfBuckets, "OFPGMFC_OUT_OF_BUCKETS", "nx:6,4", "6,4", "6,4", "6,4"),
        new(OfError.GroupModFailedChainingUnsupported, "OFPGMFC_CHAINING_UNSUPPORTED", "nx:6,5", "6,5", "6,5", "6,5"),
        new(OfError.GroupModFailedWatchUnsupported, "OFPGMFC_WATCH_UNSUPPORTED", "nx:6,6", "6,6", "6,6", "6,6"),
        new(OfError.GroupModFailedLoop, "OFPGMFC_LOOP", "nx:6,7", "6,7", "6,7", "6,7"),
        new(OfError.GroupModFailedUnknownGroup, "OFPGMFC_UNKNOWN_GROUP", "nx:6,8", "6,8", "6,8", "6,8"),
        new(OfError.GroupModFailedChainedGroup, "OFPGMFC_CHAINED_GROUP", "nx:6,9", "6,9", "6,9", "6,9"),
        new(OfError.GroupModFailedBadType, "OFPGMFC_BAD_TYPE", "nx:6,10", "6,10", "6,10", "6,10"),
        new(OfError.GroupModFailedBadCommand, "OFPGMFC_BAD_COMMAND", "nx:6,11", "6,11", "6,11", "6,11"),
        new(OfError.GroupModFailedBadBucket, "OFPGMFC_BAD_BUCKET", "nx:6,12", "6,12", "6,12", "6,12"),
        new(OfError.GroupModFailedBadWatch, "OFPGMFC_BAD_WATCH", "nx:6,13", "6,13", "6,13", "6,13"),
        new(OfError.GroupModFailedPermission, "OFPGMFC_EPERM", "nx:6,14", "6,14", "6,14", "6,14"),
        new(OfError.PortModFailedBadConfig, "OFPPMFC_BAD_CONFIG", "", "7,2", "7,2", "7,2"),
        new(OfError.PortModFailedBadAdvertise, "OFPPMFC_BAD_ADVERTISE", "", "7,3", "7,3", "7,3"),
        new(OfError.PortModFailedPermission, "OFPPMFC_EPERM", "", "7,4", "7,4", "7,4"),
        new(OfError.TableModFailedBadTable, "OFPTMFC_BAD_TABLE", "", "8,0", "8,0", "8,0"),
        new(OfError.TableModFailedBadConfig, "OFPTMFC_BAD_CONFIG", "", "8,1", "8,1", "8,1"),
        new(OfError.TableModFailedPermission, "OFPTMFC_EPERM", "", "8,2", "8,2", "8,2"),
        new(OfError.SwitchConfigFailedBadFlags, "OFPSCFC_BAD_FLAGS", "", "10,0", "10,0", "10,0"),
        new(OfError.SwitchConfigFailedBadLen, "OFPSCFC_BAD_LEN", "", "10,1", "10,1", "10,1"),
        new(OfError.SwitchConfigFailedPermission, "OFPSCFC_EPERM", "", "10,2", "10,2", "10,2"),
        new(OfError.RoleRequestFailedStale, "OFPRRFC_STALE", "", "11,0", "11,0", "11,0"),
        new(OfError.RoleRequestFailedUnsup, "OFPRRFC_UNSUP", "", "11,1", "11,1", "11,1"),
        new(OfError.RoleRequestFailedBadRole, "OFPRRFC_BAD_ROLE", "nx:1,513", "11,2", "11,2", "11,2"),
        new(OfError.MeterModFailedUnknown, "OFPMMFC_UNKNOWN", "", "12,0", "12,0", "12,0"),
        new(OfError.MeterModFailedMeterExists, "OFPMMFC_METER_EXISTS", "", "12,1", "12,1", "12,1"),
        new(OfError.MeterModFailedInvalidMeter, "OFPMMFC_INVALID_METER", "", "12,2", "12,2", "12,2"),
        new(OfError.MeterModFailedUnknownMeter, "OFPMMFC_UNKNOWN_METER", "", "12,3", "12,3", "12,3"),
        new(OfError.MeterModFailedBadCommand, "OFPMMFC_BAD_COMMAND", "", "12,4", "12,4", "12,4"),
        new(OfError.MeterModFailedBadFlags, "OFPMMFC_BAD_FLAGS", "", "12,5", "12,5", "12,5"),
        new(OfError.MeterModFailedBadRate, "OFPMMFC_BAD_RATE", "", "12,6", "12,6", "12,6"),
        new(OfError.MeterModFailedBadBurst, "OFPMMFC_BAD_BURST", "", "12,7", "12,7", "12,7"),
        new(OfError.MeterModFailedBadBand, "OFPMMFC_BAD_BAND", "", "12,8", "12,8", "12,8"),
        new(OfError.MeterModFailedBadBandValue, "OFPMMFC_BAD_BAND_VALUE", "", "12,9", "12,9", "12,9"),
        new(OfError.MeterModFailedOutOfMeters, "OFPMMFC_OUT_OF_METERS", "", "12,10", "12,10", "12,10"),
        new(OfError.MeterModFailedOutOfBands, "OFPMMFC_OUT_OF_BANDS", "", "12,11", "12,11", "12,11"),
        new(OfError.TableFeaturesFailedBadTable, "OFPTFFC_BAD_TABLE", "", "13,0", "13,0", "13,0"),
        new(OfError.TableFeaturesFailedBadMetadata, "OFPTFFC_BAD_METADATA", "", "13,1", "13,1", "13,1"),
        new(OfError.BadPropertyBadType, "OFPBPC_BAD_TYPE", "nx:13,2", "13,2", "14,0", "14,0"),
        new(OfError.BadPropertyBadLen, "OFPBPC_BAD_LEN", "nx:13,3", "13,3", "14,1", "14,1"),
        new(OfError.BadPropertyBadValue, "OFPBPC_BAD_VALUE", "nx:13,4", "13,4", "14,2", "14,2"),
        new(OfError.TableFeaturesFailedPermission, "OFPTFFC_EPERM", "", "13,5", "13,5", "13,5"),
        new(OfError.BadRequestMultipartRequestTimeout, "OFPBRC_MULTIPART_REQUEST_TIMEOUT", "", "", "1,14", "1,14"),
        new(OfError.BadRequestMultipartReplyTimeout, "OFPBRC_MULTIPART_REPLY_TIMEOUT", "", "", "1,15", "1,15"),
        new(OfError.BadInstructionDupInst, "OFPBIC_DUP_INST", "", "onf:2600", "3,9", "3,9"),
        new(OfError.FlowModFailedCantSync, "OFPFMFC_CANT_SYNC", "", "", "5,8", "5,8"),
        new(OfError.FlowModFailedBadPriority, "OFPFMFC_BAD_PRIORITY", "", "", "5,9", "5,9"),
        new(OfError.FlowModFailedIsSync, "OFPFMFC_IS_SYNC", "", "", "5,10", "5,10"),
        new(OfError.BadPropertyTooMany, "OFPBPC_TOO_MANY", "nx:14,3", "onf:4443", "14,3", "14,3"),
        new(OfError.BadPropertyDupType, "OFPBPC_DUP_TYPE", "nx:14,4", "onf:4444", "14,4", "14,4"),
        new(OfError.BadPropertyBadExperimenter, "OFPBPC_BAD_EXPERIMENTER", "nx:14,5", "onf:4445", "14,5", "14,5"),
        new(OfError.BadPropertyBadExpType, "OFPBPC_BAD_EXP_TYPE", "nx:14,6", "onf:4446", "14,6", "14,6"),
        new(OfError.BadPropertyBadExpValue, "OFPBPC_BAD_EXP_VALUE", "nx:14,7", "onf:4447", "14,7", "14,7"),
        new(OfError.BadPropertyPermission, "OFPBPC_EPERM", "nx:14,8", "onf:4448", "14,8", "14,8"),
        new(OfError.AsyncConfigFailedInvalid, "OFPACFC_INVALID", "", "", "15,0", "15,0"),
        new(OfError.AsyncConfigFailedUnsupported, "OFPACFC_UNSUPPORTED", "", "", "15,1", "15,1"),
        new(OfError.AsyncConfigFailedPermission, "OFPACFC_EPERM", "", "", "15,2", "15,2"),
        new(OfError.FlowMonitorFailedUnknown, "OFPMOFC_UNKNOWN", "", "", "16,0", "16,0"),
        new(OfError.FlowMonitorFailedMonitorExists, "OFPMOFC_MONITOR_EXISTS", "nx:1,517", "nx:6", "16,1", "16,1"),
        new(OfError.FlowMonitorFailedInvalidMonitor, "OFPMOFC_INVALID_MONITOR", "", "", "16,2", "16,2"),
        new(OfError.FlowMonitorFailedUnknownMonitor, "OFPMOFC_UNKNOWN_MONITOR", "nx:1,519", "nx:8", "16,3", "16,3"),
        new(OfError.FlowMonitorFailedBadCommand, "OFPMOFC_BAD_COMMAND", "", "", "16,4", "16,4"),
        new(OfError.FlowMonitorFailedBadFlags, "OFPMOFC_BAD_FLAGS", "nx:1,518", "nx:7", "16,5", "16,5"),
        new(OfError.FlowMonitorFailedBadTableId, "OFPMOFC_BAD_TABLE_ID", "", "", "16,6", "16,6"),
        new(OfError.FlowMonitorFailedBadOut, "OFPMOFC_BAD_OUT", "", "", "16,7", "16,7"),
        new(OfError.BundleFailedUnknown, "OFPBFC_UNKNOWN", "", "onf:2300", "17,0", "17,0"),
        new(OfError.BundleFailedPermission, "OFPBFC_EPERM", "", "onf:2301", "17,1", "17,1"),
        new(OfError.BundleFailedBadId, "OFPBFC_BAD_ID", "", "onf:2302", "17,2", "17,2"),
        new(OfError.BundleFailedBundleExist, "OFPBFC_BUNDLE_EXIST", "", "onf:2303", "17,3", "17,3"),
        new(OfError.BundleFailedBundleClosed, "OFPBFC_BUNDLE_CLOSED", "", "onf:2304", "17,4", "17,4"),
        new(OfError.BundleFailedOutOfBundles, "OFPBFC_OUT_OF_BUNDLES", "", "onf:2305", "17,5", "17,5"),
        new(OfError.BundleFailedBadType, "OFPBFC_BAD_TYPE", "", "onf:2306", "17,6", "17,6"),
        new(OfError.BundleFailedBadFlags, "OFPBFC_BAD_FLAGS", "", "onf:2307", "17,7", "17,7"),
        new(OfError.BundleFailedMsgBadLen, "OFPBFC_MSG_BAD_LEN", "", "onf:2308", "17,8", "17,8"),
        new(OfError.BundleFailedMsgBadXid, "OFPBFC_MSG_BAD_XID", "", "onf:2309", "17,9", "17,9"),
        new(OfError.BundleFailedMsgUnsup, "OFPBFC_MSG_UNSUP", "", "onf:2310", "17,10", "17,10"),
        new(OfError.BundleFailedMsgConflict, "OFPBFC_MSG_CONFLICT", "", "onf:2311", "17,11", "17,11"),
        new(OfError.BundleFailedMsgTooMany, "OFPBFC_MSG_TOO_MANY", "", "onf:2312", "17,12", "17,12"),
        new(OfError.BundleFailedMsgFailed, "OFPBFC_MSG_FAILED", "", "onf:2313", "17,13", "17,13"),
        new(OfError.BundleFailedTimeout, "OFPBFC_TIMEOUT", "", "onf:2314", "17,14", "17,14"),
        new(OfError.BundleFailedBundleInProgress, "OFPBFC_BUNDLE_IN_PROGRESS", "", "onf:2315", "17,15", "17,15"),
        new(OfError.BadRequestMultipartBadSched, "OFPBRC_MULTIPART_BAD_SCHED", "", "", "", "1,16"),
        new(OfError.BadRequestPipelineFieldsOnly, "OFPBRC_PIPELINE_FIELDS_ONLY", "", "", "", "1,17"),
        new(OfError.BadRequestUnknown, "OFPBRC_UNKNOWN", "", "", "", "1,18"),
        new(OfError.BadActionBadSetMask, "OFPBAC_BAD_SET_MASK", "", "onf:4250", "onf:4250", "2,16"),
        new(OfError.BadActionBadMeter, "OFPBAC_BAD_METER", "", "", "", "2,17"),
        new(OfError.GroupModFailedUnknownBucket, "OFPGMFC_UNKNOWN_BUCKET", "nx:6,15", "", "", "6,15"),
        new(OfError.GroupModFailedBucketExists, "OFPGMFC_BUCKET_EXISTS", "nx:6,16", "", "", "6,16"),
        new(OfError.RoleRequestFailedIdUnsup, "OFPRRFC_ID_UNSUP", "", "", "", "11,3"),
        new(OfError.RoleRequestFailedIdInUse, "OFPRRFC_ID_IN_USE", "", "", "", "11,4"),
        new(OfError.TableFeaturesFailedBadCapa, "OFPTFFC_BAD_CAPA", "", "", "", "13,6"),
        new(OfError.TableFeaturesFailedBadMaxEnt, "OFPTFFC_BAD_MAX_ENT", "", "", "", "13,7"),
        new(OfError.TableFeaturesFailedBadFeatures, "OFPTFFC_BAD_FEATURES", "", "", "", "13,8"),
        new(OfError.TableFeaturesFailedBadCommand, "OFPTFFC_BAD_COMMAND", "", "", "", "13,9"),
        new(OfError.TableFeaturesFailedTooMany, "OFPTFFC_TOO_MANY", "", "", "", "13,10"),
        new(OfError.BundleFailedSchedNotSupported, "OFPBFC_SCHED_NOT_SUPPORTED", "", "", "", "17,16"),
        new(OfError.BundleFailedSchedFuture, "OFPBFC_SCHED_FUTURE", "", "", "", "17,17"),
        new(OfError.BundleFailedSchedPast, "OFPBFC_SCHED_PAST", "", "", "", "17,18"),
        new(OfError.NxBadRequestNxmInvalid, "NXBRC_NXM_INVALID", "nx:1,256", "nx:2", "nx:2", "nx:2"),
        new(OfError.NxBadRequestNxmBadType, "NXBRC_NXM_BAD_TYPE", "nx:1,257", "nx:3", "nx:3", "nx:3"),
        new(OfError.NxBadRequestMustBeZero, "NXBRC_MUST_BE_ZERO", "nx:1,515", "nx:4", "nx:4", "nx:4"),
        new(OfError.NxBadRequestBadReason, "NXBRC_BAD_REASON", "nx:1,516", "nx:5", "nx:5", "nx:5"),
        new(OfError.NxBadRequestFmBadEvent, "NXBRC_FM_BAD_EVENT", "nx:1,520", "nx:9", "nx:9", "nx:9"),
        new(OfError.NxBadRequestUnencodableError, "NXBRC_UNENCODABLE_ERROR", "nx:1,521", "nx:10", "nx:10", "nx:10"),
        new(OfError.NxBadActionMustBeZero, "NXBAC_MUST_BE_ZERO", "nx:2,256", "nx:11", "nx:11", "nx:11"),
        new(OfError.NxFlowModFailedHardware, "NXFMFC_HARDWARE", "nx:5,256", "nx:12", "nx:12", "nx:12"),
        new(OfError.NxFlowModFailedBadTableId, "NXFMFC_BAD_TABLE_ID", "nx:5,257", "nx:13", "nx:13", "nx:13"),
        new(OfError.NxBadActionBadConjunction, "NXBAC_BAD_CONJUNCTION", "nx:2,526", "nx:15", "nx:15", "nx:15"),
        new(OfError.NxTlvTableModFailedBadCommand, "NXTTMFC_BAD_COMMAND", "nx:1,527", "nx:16", "nx:16", "nx:16"),
        new(OfError.NxTlvTableModFailedBadOptLen, "NXTTMFC_BAD_OPT_LEN", "nx:1,528", "nx:17", "nx:17", "nx:17"),
        new(OfError.NxTlvTableModFailedBadFieldIdx, "NXTTMFC_BAD_FIELD_IDX", "nx:1,529", "nx:18", "nx:18", "nx:18"),
        new(OfError.NxTlvTableModFailedTableFull, "NXTTMFC_TABLE_FULL", "nx:1,530", "nx:19", "nx:19", "nx:19"),
        new(OfError.NxTlvTableModFailedAlreadyMapped, "NXTTMFC_ALREADY_MAPPED", "nx:1,531", "nx:20", "nx:20", "nx:20"),
        new(OfError.NxTlvTableModFailedDupEntry, "NXTTMFC_DUP_ENTRY", "nx:1,532", "nx:21", "nx:21", "nx:21"),
        new(OfError.NxResumeNotSupported, "NXR_NOT_SUPPORTED", "nx:1,533", "nx:34", "nx:34", "nx:34"),
        new(OfError.NxResumeStale, "NXR_STALE", "nx:1,534", "nx:35", "nx:35", "nx:35"),
        new(OfError.NxStatsNotConfigured, "NXST_NOT_CONFIGURED", "nx:1,535", "nx:36", "nx:36", "nx:36"),
        new(OfError.NxFlowModFailedInvalidTlvField, "NXFMFC_INVALID_TLV_FIELD", "nx:1,536", "nx:37", "nx:37", "nx:37"),
        new(OfError.NxTlvTableModFailedInvalidTlvDel, "NXTTMFC_INVALID_TLV_DEL", "nx:1,537", "nx:38", "nx:38", "nx:38"),
        new(OfError.NxBadActionBadHeaderType, "NXBAC_BAD_HEADER_TYPE", "", "nx:39", "nx:39", "nx:39"),
        new(OfError.NxBadActionUnknownEdProp, "NXBAC_UNKNOWN_ED_PROP", "", "nx:40", "nx:40", "nx:40"),
        new(OfError.NxBadActionBadEdProp, "NXBAC_BAD_ED_PROP", "", "nx:41", "nx:41", "nx:41"),
        new(OfError.NxBadActionCtDatapathSupport, "NXBAC_CT_DATAPATH_SUPPORT", "nx:1,265", "nx:42", "nx:42", "nx:42"),
        new(OfError.NxBadMatchCtDatapathSupport, "NXBMC_CT_DATAPATH_SUPPORT", "nx:1,264", "nx:43", "nx:43", "nx:43"),
        new(OfError.NxTableFeaturesFailedDupTable, "NXTFFC_DUP_TABLE", "", "nx:44", "nx:44", "nx:44"),
        new(OfError.BundleFailedBadVersion, "OFPBFC_BAD_VERSION", "", "", "nx:22", "nx:22"),
        new(OfError.NxQueueOpFailedQueueError, "NXQOFC_QUEUE_ERROR", "", "", "nx:23", "nx:23"),
    ];

    private static readonly FrozenDictionary<OfError, Entry> ByError = Table.ToFrozenDictionary(e => e.Error);

    private static readonly FrozenDictionary<string, OfError>[] ByForm =
        [.. Enumerable.Range(0, 4).Select(i => Table.Where(e => e.Forms[i] is not null)
            .GroupBy(e => e.Forms[i]!.Value).ToFrozenDictionary(g => g.Key.Key, g => g.First().Error))];

    /// <summary>Every error in the catalogue.</summary>
    public static IEnumerable<OfError> All => Table.Select(e => e.Error);

    /// <summary>Open vSwitch's name for <paramref name="error"/>, or null.</summary>
    public static string? NameOf(OfError error) => ByError.TryGetValue(error, out Entry? e) ? e.Name : null;

    /// <summary>Whether <paramref name="error"/> has a form in <paramref name="version"/> (otherwise it goes out as NXBRC_UNENCODABLE_ERROR).</summary>
    public static bool IsEncodable(OfError error, OpenFlowVersion version)
        => !ByError.TryGetValue(error, out Entry? e) || e.Forms[Index(version)] is not null;

    /// <summary>
    /// Writes the error's type and code, and the vendor header of a vendor form, as the start of an OFPT_ERROR body
    /// on <paramref name="version"/>; the offending data follows.
    /// </summary>
    public static void Write(OfError error, OpenFlowVersion version, WireWriter w)
    {
        Form f = FormOf(error, version);
        switch (f.Kind)
        {
            case FormKind.Standard:
                w.U16(f.Type);
                w.U16(f.Code);
                break;
            case FormKind.Nx10:
                w.U16(NxVendorErrorType);
                w.U16(0);
                w.U32(f.Vendor);
                w.U16(f.Type);
                w.U16(f.Code);
                break;
            default:
                w.U16(ExperimenterErrorType);
                w.U16(f.Code);
                w.U32(f.Vendor);
                break;
        }
    }

    /// <summary>
    /// Reads the error from the start of an OFPT_ERROR body of <paramref name="version"/>, vendor header included;
    /// what remains is the data. Pairs no table names come back as they are (OpenFlow 1.0's types renumbered).
    /// </summary>
    public static OfError Read(ref WireReader body, OpenFlowVersion version)
    {
        ushort type = body.U16();
        ushort code = body.U16();
        if (version == OpenFlowVersion.OF10 && type == NxVendorErrorType)
        {
            uint vendor = body.U32();
            ushort nxType = body.U16();
            ushort nxCode = body.U16();
            return Lookup(version, new Form(FormKind.Nx10, nxType, nxCode, vendor)) ?? new OfError((OfErrorType)nxType, nxCode, vendor);
        }

        if (version != OpenFlowVersion.OF10 && type == ExperimenterErrorType)
        {
            uint vendor = body.U32();
            return Lookup(version, new Form(FormKind.Experimenter, 0, code, vendor)) ?? new OfError(OfErrorType.Experimenter, code, vendor);
        }

        return FromWire(type, code, version);
    }

    /// <summary>
    /// The (type, code) pair at the head of the OFPT_ERROR body <paramref name="error"/> is sent with over
    /// <paramref name="version"/> (for vendor forms: NXET_VENDOR/0 or OFPET_EXPERIMENTER/code; <see cref="Write"/>
    /// writes the vendor header too).
    /// </summary>
    public static (ushort Type, ushort Code) ToWire(OfError error, OpenFlowVersion version)
    {
        Form f = FormOf(error, version);
        return f.Kind switch
        {
            FormKind.Standard => (f.Type, f.Code),
            FormKind.Nx10 => (NxVendorErrorType, 0),
            _ => (ExperimenterErrorType, f.Code),
        };
    }

    /// <summary>The error a standard (type, code) pair received over <paramref name="version"/> names.</summary>
    public static OfError FromWire(ushort type, ushort code, OpenFlowVersion version)
    {
        if (Lookup(version, new Form(FormKind.Standard, type, code, 0)) is { } known)
        {
            return known;
        }

        if (version != OpenFlowVersion.OF10)
        {
            return new OfError((OfErrorType)type, code);
        }

        return type switch
        {
            3 => new OfError(OfErrorType.FlowModFailed, code),
            4 => new OfError(OfErrorType.PortModFailed, code),
            5 => new OfError(OfErrorType.QueueOpFailed, code),
            _ => new OfError((OfErrorType)type, code),
        };
    }

    private static OfError? Lookup(OpenFlowVersion version, Form form)
        => ByForm[Index(version)].TryGetValue(form.Key, out OfError e) ? e : null;

    private static Form FormOf(OfError error, OpenFlowVersion version)
    {
        if (!ByError.TryGetValue(error, out Entry? entry))
        {
            // Not in the table: sent as it was received (Read's inverse), so a peer's unknown error is relayed unchanged.
            if (version == OpenFlowVersion.OF10)
            {
                return error.Vendor != 0
                    ? new Form(FormKind.Nx10, (ushort)error.Type, error.Code, error.Vendor)
                    : new Form(FormKind.Standard, Of10Type(error.Type), error.Code, 0);
            }

            return error.Vendor != 0 || error.Type == OfErrorType.Experimenter
                ? new Form(FormKind.Experimenter, 0, error.Code, error.Vendor)
                : new Form(FormKind.Standard, (ushort)error.Type, error.Code, 0);
        }

        return entry.Forms[Index(version)] ?? ByError[OfError.NxBadRequestUnencodableError].Forms[Index(version)]!.Value;
    }

    // OpenFlow 1.0's numbering of the types FromWire renumbers.
    private static ushort Of10Type(OfErrorType type) => type switch
    {
        OfErrorType.FlowModFailed => 3,
        OfErrorType.PortModFailed => 4,
        OfErrorType.QueueOpFailed => 5,
        _ => (ushort)type,
    };

    private static int Index(OpenFlowVersion version) => version switch
    {
        OpenFlowVersion.OF10 => 0,
        OpenFlowVersion.OF13 => 1,
        OpenFlowVersion.OF14 => 2,
        _ => 3,
    };

    private enum FormKind
    {
        Standard,
        Nx10,
        Experimenter,
    }

    private readonly record struct Form(FormKind Kind, ushort Type, ushort Code, uint Vendor)
    {
        public string Key => $"{Kind}:{Type}:{Code}:{Vendor}";

        public static Form? Parse(string spec)
        {
            if (spec.Length == 0)
            {
                return null;
            }

            int colon = spec.IndexOf(':', StringComparison.Ordinal);
            string vendor = colon < 0 ? string.Empty : spec[..colon];
            string[] numbers = spec[(colon + 1)..].Split(',');
            ushort a = ushort.Parse(numbers[0], CultureInfo.InvariantCulture);
            ushort b = numbers.Length > 1 ? ushort.Parse(numbers[1], CultureInfo.InvariantCulture) : (ushort)0;
            return vendor switch
            {
                "" => new Form(FormKind.Standard, a, b, 0),
                "nx" when numbers.Length > 1 => new Form(FormKind.Nx10, a, b, OfError.NiciraVendor),
                "nx" => new Form(FormKind.Experimenter, 0, a, OfError.NiciraVendor),
                _ => new Form(FormKind.Experimenter, 0, a, OnfVendor),
            };
        }
    }

    private sealed class Entry(OfError error, string name, string of10, string of13, string of14, string of15)
    {
        public OfError Error { get; } = error;

        public string Name { get; } = name;

        public Form?[] Forms { get; } = [Form.Parse(of10), Form.Parse(of13), Form.Parse(of14), Form.Parse(of15)];
    }
}
