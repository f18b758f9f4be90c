namespace FastPath.OpenFlow.Wire;

/// <summary>
/// One OpenFlow error, named by its OpenFlow 1.3+ type and code (the newest standard numbering that has it: 1.5 for
/// the errors 1.4/1.5 added or renumbered). OpenFlow 1.0's own numbering, Open vSwitch's Nicira vendor errors and the
/// ONF experimenter errors are chosen per version when the message is written (<see cref="OfErrorEncoding"/>).
/// </summary>
/// <remarks>
/// Errors that exist only as Open vSwitch extensions are <see cref="OfErrorType.Experimenter"/> with the Nicira
/// experimenter code and <see cref="Vendor"/> set. The two errors only OpenFlow 1.0 has (OFPFMFC_BAD_EMERG_TIMEOUT,
/// OFPFMFC_UNSUPPORTED) are flow-mod-failed codes 0x1003 and 0x1005 here, numbers no later version uses.
/// The constants below cover every error Open vSwitch 3.1 names (its ofp-errors table), OpenFlow 1.0 to 1.5.
/// </remarks>
/// <param name="Type">The error type.</param>
/// <param name="Code">The code within the type (for experimenter errors: the experimenter's code).</param>
/// <param name="Vendor">For <see cref="OfErrorType.Experimenter"/> errors, the experimenter id; 0 otherwise.</param>
public readonly record struct OfError(OfErrorType Type, ushort Code, uint Vendor = 0)
{
    /// <summary>Nicira's vendor id (NX_VENDOR_ID), which Open vSwitch's extension errors carry.</summary>
    public const uint NiciraVendor = 0x00002320;

    /// <summary>OFPHFC_INCOMPATIBLE.</summary>
    public static readonly OfError HelloIncompatible = new(OfErrorType.HelloFailed, 0);

    /// <summary>OFPHFC_EPERM.</summary>
    public static readonly OfError HelloPermission = new(OfErrorType.HelloFailed, 1);

    /// <summary>OFPBRC_BAD_VERSION.</summary>
    public static readonly OfError BadRequestBadVersion = new(OfErrorType.BadRequest, 0);

    /// <summary>OFPBRC_BAD_TYPE.</summary>
    public static readonly OfError BadRequestBadType = new(OfErrorType.BadRequest, 1);

    /// <summary>OFPBRC_BAD_STAT.</summary>
    public static readonly OfError BadRequestBadMultipart = new(OfErrorType.BadRequest, 2);

    /// <summary>OFPBRC_BAD_VENDOR.</summary>
    public static readonly OfError BadRequestBadExperimenter = new(OfErrorType.BadRequest, 3);

    /// <summary>OFPBRC_BAD_SUBTYPE.</summary>
    public static readonly OfError BadRequestBadExpType = new(OfErrorType.BadRequest, 4);

    /// <summary>OFPBRC_EPERM.</summary>
    public static readonly OfError BadRequestPermission = new(OfErrorType.BadRequest, 5);

    /// <summary>OFPBRC_BAD_LEN.</summary>
    public static readonly OfError BadRequestBadLen = new(OfErrorType.BadRequest, 6);

    /// <summary>OFPBRC_BUFFER_EMPTY.</summary>
    public static readonly OfError BadRequestBufferEmpty = new(OfErrorType.BadRequest, 7);

    /// <summary>OFPBRC_BUFFER_UNKNOWN.</summary>
    public static readonly OfError BadRequestBufferUnknown = new(OfErrorType.BadRequest, 8);

    /// <summary>OFPBAC_BAD_TYPE.</summary>
    public static readonly OfError BadActionBadType = new(OfErrorType.BadAction, 0);

    /// <summary>OFPBAC_BAD_LEN.</summary>
    public static readonly OfError BadActionBadLen = new(OfErrorType.BadAction, 1);

    /// <summary>OFPBAC_BAD_VENDOR.</summary>
    public static readonly OfError BadActionBadExperimenter = new(OfErrorType.BadAction, 2);

    /// <summary>OFPBAC_BAD_VENDOR_TYPE.</summary>
    public static readonly OfError BadActionBadExpType = new(OfErrorType.BadAction, 3);

    /// <summary>OFPBAC_BAD_OUT_PORT.</summary>
    public static readonly OfError BadActionBadOutPort = new(OfErrorType.BadAction, 4);

    /// <summary>OFPBAC_BAD_ARGUMENT.</summary>
    public static readonly OfError BadActionBadArgument = new(OfErrorType.BadAction, 5);

    /// <summary>OFPBAC_EPERM.</summary>
    public static readonly OfError BadActionPermission = new(OfErrorType.BadAction, 6);

    /// <summary>OFPBAC_TOO_MANY.</summary>
    public static readonly OfError BadActionTooMany = new(OfErrorType.BadAction, 7);

    /// <summary>OFPBAC_BAD_QUEUE.</summary>
    public static readonly OfError BadActionBadQueue = new(OfErrorType.BadAction, 8);

    /// <summary>OFPFMFC_TABLE_FULL.</summary>
    public static readonly OfError FlowModFailedTableFull = new(OfErrorType.FlowModFailed, 1);

    /// <summary>OFPFMFC_OVERLAP.</summary>
    public static readonly OfError FlowModFailedOverlap = new(OfErrorType.FlowModFailed, 3);

    /// <summary>OFPFMFC_EPERM.</summary>
    public static readonly OfError FlowModFailedPermission = new(OfErrorType.FlowModFailed, 4);

    /// <summary>OFPFMFC_BAD_EMERG_TIMEOUT.</summary>
    public static readonly OfError FlowModFailedBadEmergTimeout = new(OfErrorType.FlowModFailed, 0x1003);

    /// <summary>OFPFMFC_BAD_COMMAND.</summary>
    public static readonly OfError FlowModFailedBadCommand = new(OfErrorType.FlowModFailed, 6);

    /// <summary>OFPFMFC_UNSUPPORTED.</summary>
    public static readonly OfError FlowModFailedUnsupported = new(OfErrorType.FlowModFailed, 0x1005);

    /// <summary>OFPPMFC_BAD_PORT.</summary>
    public static readonly OfError PortModFailedBadPort = new(OfErrorType.PortModFailed, 0);

    /// <summary>OFPPMFC_BAD_HW_ADDR.</summary>
    public static readonly OfError PortModFailedBadHwAddr = new(OfErrorType.PortModFailed, 1);

    /// <summary>OFPQOFC_BAD_PORT.</summary>
    public static readonly OfError QueueOpFailedBadPort = new(OfErrorType.QueueOpFailed, 0);

    /// <summary>OFPQOFC_BAD_QUEUE.</summary>
    public static readonly OfError QueueOpFailedBadQueue = new(OfErrorType.QueueOpFailed, 1);

    /// <summary>OFPQOFC_EPERM.</summary>
    public static readonly OfError QueueOpFailedPermission = new(OfErrorType.QueueOpFailed, 2);

    /// <summary>OFPBRC_BAD_TABLE_ID.</summary>
    public static readonly OfError BadRequestBadTableId = new(OfErrorType.BadRequest, 9);

    /// <summary>OFPBRC_IS_SECONDARY.</summary>
    public static readonly OfError BadRequestIsSlave = new(OfErrorType.BadRequest, 10);

    /// <summary>OFPBRC_BAD_PORT.</summary>
    public static readonly OfError BadRequestBadPort = new(OfErrorType.BadRequest, 11);

    /// <summary>OFPBRC_BAD_PACKET.</summary>
    public static readonly OfError BadRequestBadPacket = new(OfErrorType.BadRequest, 12);

    /// <summary>OFPBRC_MULTIPART_BUFFER_OVERFLOW.</summary>
    public static readonly OfError BadRequestMultipartBufferOverflow = new(OfErrorType.BadRequest, 13);

    /// <summary>OFPBAC_BAD_OUT_GROUP.</summary>
    public static readonly OfError BadActionBadOutGroup = new(OfErrorType.BadAction, 9);

    /// <summary>OFPBAC_MATCH_INCONSISTENT.</summary>
    public static readonly OfError BadActionMatchInconsistent = new(OfErrorType.BadAction, 10);

    /// <summary>OFPBAC_UNSUPPORTED_ORDER.</summary>
    public static readonly OfError BadActionUnsupportedOrder = new(OfErrorType.BadAction, 11);

    /// <summary>OFPBAC_BAD_TAG.</summary>
    public static readonly OfError BadActionBadTag = new(OfErrorType.BadAction, 12);

    /// <summary>OFPBAC_BAD_SET_TYPE.</summary>
    public static readonly OfError BadActionBadSetType = new(OfErrorType.BadAction, 13);

    /// <summary>OFPBAC_BAD_SET_LEN.</summary>
    public static readonly OfError BadActionBadSetLen = new(OfErrorType.BadAction, 14);

    /// <summary>OFPBAC_BAD_SET_ARGUMENT.</summary>
    public static readonly OfError BadActionBadSetArgument = new(OfErrorType.BadAction, 15);

    /// <summary>OFPBIC_UNKNOWN_INST.</summary>
    public static readonly OfError BadInstructionUnknownInst = new(OfErrorType.BadInstruction, 0);

    /// <summary>OFPBIC_UNSUP_INST.</summary>
    public static readonly OfError BadInstructionUnsupInst = new(OfErrorType.BadInstruction, 1);

    /// <summary>OFPBIC_BAD_TABLE_ID.</summary>
    public static readonly OfError BadInstructionBadTableId = new(OfErrorType.BadInstruction, 2);

    /// <summary>OFPBIC_UNSUP_METADATA.</summary>
    public static readonly OfError BadInstructionUnsupMetadata = new(OfErrorType.BadInstruction, 3);

    /// <summary>OFPBIC_UNSUP_METADATA_MASK.</summary>
    public static readonly OfError BadInstructionUnsupMetadataMask = new(OfErrorType.BadInstruction, 4);

    /// <summary>OFPBIC_BAD_EXPERIMENTER.</summary>
    public static readonly OfError BadInstructionBadExperimenter = new(OfErrorType.BadInstruction, 5);

    /// <summary>OFPBIC_BAD_EXP_TYPE.</summary>
    public static readonly OfError BadInstructionBadExpType = new(OfErrorType.BadInstruction, 6);

    /// <summary>OFPBIC_BAD_LEN.</summary>
    public static readonly OfError BadInstructionBadLen = new(OfErrorType.BadInstruction, 7);

    /// <summary>OFPBIC_EPERM.</summary>
    public static readonly OfError BadInstructionPermission = new(OfErrorType.BadInstruction, 8);

    /// <summary>OFPBMC_BAD_TYPE.</summary>
    public static readonly OfError BadMatchBadType = new(OfErrorType.BadMatch, 0);

    /// <summary>OFPBMC_BAD_LEN.</summary>
    public static readonly OfError BadMatchBadLen = new(OfErrorType.BadMatch, 1);

    /// <summary>OFPBMC_BAD_TAG.</summary>
    public static readonly OfError BadMatchBadTag = new(OfErrorType.BadMatch, 2);

    /// <summary>OFPBMC_BAD_DL_ADDR_MASK.</summary>
    public static readonly OfError BadMatchBadDlAddrMask = new(OfErrorType.BadMatch, 3);

    /// <summary>OFPBMC_BAD_NW_ADDR_MASK.</summary>
    public static readonly OfError BadMatchBadNwAddrMask = new(OfErrorType.BadMatch, 4);

    /// <summary>OFPBMC_BAD_WILDCARDS.</summary>
    public static readonly OfError BadMatchBadWildcards = new(OfErrorType.BadMatch, 5);

    /// <summary>OFPBMC_BAD_FIELD.</summary>
    public static readonly OfError BadMatchBadField = new(OfErrorType.BadMatch, 6);

    /// <summary>OFPBMC_BAD_VALUE.</summary>
    public static readonly OfError BadMatchBadValue = new(OfErrorType.BadMatch, 7);

    /// <summary>OFPBMC_BAD_MASK.</summary>
    public static readonly OfError BadMatchBadMask = new(OfErrorType.BadMatch, 8);

    /// <summary>OFPBMC_BAD_PREREQ.</summary>
    public static readonly OfError BadMatchBadPrereq = new(OfErrorType.BadMatch, 9);

    /// <summary>OFPBMC_DUP_FIELD.</summary>
    public static readonly OfError BadMatchDupField = new(OfErrorType.BadMatch, 10);

    /// <summary>OFPBMC_EPERM.</summary>
    public static readonly OfError BadMatchPermission = new(OfErrorType.BadMatch, 11);

    /// <summary>OFPFMFC_UNKNOWN.</summary>
    public static readonly OfError FlowModFailedUnknown = new(OfErrorType.FlowModFailed, 0);

    /// <summary>OFPFMFC_BAD_TABLE_ID.</summary>
    public static readonly OfError FlowModFailedBadTableId = new(OfErrorType.FlowModFailed, 2);

    /// <summary>OFPFMFC_BAD_TIMEOUT.</summary>
    public static readonly OfError FlowModFailedBadTimeout = new(OfErrorType.FlowModFailed, 5);

    /// <summary>OFPFMFC_BAD_FLAGS.</summary>
    public static readonly OfError FlowModFailedBadFlags = new(OfErrorType.FlowModFailed, 7);

    /// <summary>OFPGMFC_GROUP_EXISTS.</summary>
    public static readonly OfError GroupModFailedGroupExists = new(OfErrorType.GroupModFailed, 0);

    /// <summary>OFPGMFC_INVALID_GROUP.</summary>
    public static readonly OfError GroupModFailedInvalidGroup = new(OfErrorType.GroupModFailed, 1);

    /// <summary>OFPGMFC_WEIGHT_UNSUPPORTED.</summary>
    public static readonly OfError GroupModFailedWeightUnsupported = new(OfErrorType.GroupModFailed, 2);

    /// <summary>OFPGMFC_OUT_OF_GROUPS.</summary>
    public static readonly OfError GroupModFailedOutOfGroups = new(OfErrorType.GroupModFailed, 3);

    /// <summary>OFPGMFC_OUT_OF_BUCKETS.</summary>
    public static readonly OfError GroupModFailedOutOfBuckets = new(OfErrorType.GroupModFailed, 4);

    /// <summary>OFPGMFC_CHAINING_UNSUPPORTED.</summary>
    public static readonly OfError GroupModFailedChainingUnsupported = new(OfErrorType.GroupModFailed, 5);

    /// <summary>OFPGMFC_WATCH_UNSUPPORTED.</summary>
    public static readonly OfError GroupModFailedWatchUnsupported = new(OfErrorType.GroupModFailed, 6);

    /// <summary>OFPGMFC_LOOP.</summary>
    public static readonly OfError GroupModFailedLoop = new(OfErrorType.GroupModFailed, 7);

    /// <summary>OFPGMFC_UNKNOWN_GROUP.</summary>
    public static readonly OfError GroupModFailedUnknownGroup = new(OfErrorType.GroupModFailed, 8);

    /// <summary>OFPGMFC_CHAINED_GROUP.</summary>
    public static readonly OfError GroupModFailedChainedGroup = new(OfErrorType.GroupModFailed, 9);

    /// <summary>OFPGMFC_BAD_TYPE.</summary>
    public static readonly OfError GroupModFailedBadType = new(OfErrorType.GroupModFailed, 10);

    /// <summary>OFPGMFC_BAD_COMMAND.</summary>
    public static readonly OfError GroupModFailedBadCommand = new(OfErrorType.GroupModFailed, 11);

    /// <summary>OFPGMFC_BAD_BUCKET.</summary>
    public static readonly OfError GroupModFailedBadBucket = new(OfErrorType.GroupModFailed, 12);

    /// <summary>OFPGMFC_BAD_WATCH.</summary>
    public static readonly OfError GroupModFailedBadWatch = new(OfErrorType.GroupModFailed, 13);

    /// <summary>OFPGMFC_EPERM.</summary>
    public static readonly OfError GroupModFailedPermission = new(OfErrorType.GroupModFailed, 14);

    /// <summary>OFPPMFC_BAD_CONFIG.</summary>
    public static readonly OfError PortModFailedBadConfig = new(OfErrorType.PortModFailed, 2);

    /// <summary>OFPPMFC_BAD_ADVERTISE.</summary>
    public static readonly OfError PortModFailedBadAdvertise = new(OfErrorType.PortModFailed, 3);

    /// <summary>OFPPMFC_EPERM.</summary>
    public static readonly OfError PortModFailedPermission = new(OfErrorType.PortModFailed, 4);

    /// <summary>OFPTMFC_BAD_TABLE.</summary>
    public static readonly OfError TableModFailedBadTable = new(OfErrorType.TableModFailed, 0);

    /// <summary>OFPTMFC_BAD_CONFIG.</summary>
    public static readonly OfError TableModFailedBadConfig = new(OfErrorType.TableModFailed, 1);

    /// <summary>OFPTMFC_EPERM.</summary>
    public static readonly OfError TableModFailedPermission = new(OfErrorType.TableModFailed, 2);

    /// <summary>OFPSCFC_BAD_FLAGS.</summary>
    public static readonly OfError SwitchConfigFailedBadFlags = new(OfErrorType.SwitchConfigFailed, 0);

    /// <summary>OFPSCFC_BAD_LEN.</summary>
    public static readonly OfError SwitchConfigFailedBadLen = new(OfErrorType.SwitchConfigFailed, 1);

    /// <summary>OFPSCFC_EPERM.</summary>
    public static readonly OfError SwitchConfigFailedPermission = new(OfErrorType.SwitchConfigFailed, 2);

    /// <summary>OFPRRFC_STALE.</summary>
    public static readonly OfError RoleRequestFailedStale = new(OfErrorType.RoleRequestFailed, 0);

    /// <summary>OFPRRFC_UNSUP.</summary>
    public static readonly OfError RoleRequestFailedUnsup = new(OfErrorType.RoleRequestFailed, 1);

    /// <summary>OFPRRFC_BAD_ROLE.</summary>
    public static readonly OfError RoleRequestFailedBadRole = new(OfErrorType.RoleRequestFailed, 2);

    /// <summary>OFPMMFC_UNKNOWN.</summary>
    public static readonly OfError MeterModFailedUnknown = new(OfErrorType.MeterModFailed, 0);

    /// <summary>OFPMMFC_METER_EXISTS.</summary>
    public static readonly OfError MeterModFailedMeterExists = new(OfErrorType.MeterModFailed, 1);

    /// <summary>OFPMMFC_INVALID_METER.</summary>
    public static readonly OfError MeterModFailedInvalidMeter = new(OfErrorType.MeterModFailed, 2);

    /// <summary>OFPMMFC_UNKNOWN_METER.</summary>
    public static readonly OfError MeterModFailedUnknownMeter = new(OfErrorType.MeterModFailed, 3);

    /// <summary>OFPMMFC_BAD_COMMAND.</summary>
    public static readonly OfError MeterModFailedBadCommand = new(OfErrorType.MeterModFailed, 4);

    /// <summary>OFPMMFC_BAD_FLAGS.</summary>
    public static readonly OfError MeterModFailedBadFlags = new(OfErrorType.MeterModFailed, 5);

    /// <summary>OFPMMFC_BAD_RATE.</summary>
    public static readonly OfError MeterModFailedBadRate = new(OfErrorType.MeterModFailed, 6);

    /// <summary>OFPMMFC_BAD_BURST.</summary>
    public static readonly OfError MeterModFailedBadBurst = new(OfErrorType.MeterModFailed, 7);

    /// <summary>OFPMMFC_BAD_BAND.</summary>
    public static readonly OfError MeterModFailedBadBand = new(OfErrorType.MeterModFailed, 8);

    /// <summary>OFPMMFC_BAD_BAND_VALUE.</summary>
    public static readonly OfError MeterModFailedBadBandValue = new(OfErrorType.MeterModFailed, 9);

    /// <summary>OFPMMFC_OUT_OF_METERS.</summary>
    public static readonly OfError MeterModFailedOutOfMeters = new(OfErrorType.MeterModFailed, 10);

    /// <summary>OFPMMFC_OUT_OF_BANDS.</summary>
    public static readonly OfError MeterModFailedOutOfBands = new(OfErrorType.MeterModFailed, 11);

    /// <summary>OFPTFFC_BAD_TABLE.</summary>
    public static readonly OfError TableFeaturesFailedBadTable = new(OfErrorType.TableFeaturesFailed, 0);

    /// <summary>OFPTFFC_BAD_METADATA.</summary>
    public static readonly OfError TableFeaturesFailedBadMetadata = new(OfErrorType.TableFeaturesFailed, 1);

    /// <summary>OFPBPC_BAD_TYPE.</summary>
    public static readonly OfError BadPropertyBadType = new(OfErrorType.BadProperty, 0);

    /// <summary>OFPBPC_BAD_LEN.</summary>
    public static readonly OfError BadPropertyBadLen = new(OfErrorType.BadProperty, 1);

    /// <summary>OFPBPC_BAD_VALUE.</summary>
    public static readonly OfError BadPropertyBadValue = new(OfErrorType.BadProperty, 2);

    /// <summary>OFPTFFC_EPERM.</summary>
    public static readonly OfError TableFeaturesFailedPermission = new(OfErrorType.TableFeaturesFailed, 5);

    /// <summary>OFPBRC_MULTIPART_REQUEST_TIMEOUT.</summary>
    public static readonly OfError BadRequestMultipartRequestTimeout = new(OfErrorType.BadRequest, 14);

    /// <summary>OFPBRC_MULTIPART_REPLY_TIMEOUT.</summary>
    public static readonly OfError BadRequestMultipartReplyTimeout = new(OfErrorType.BadRequest, 15);

    /// <summary>OFPBIC_DUP_INST.</summary>
    public static readonly OfError BadInstructionDupInst = new(OfErrorType.BadInstruction, 9);

    /// <summary>OFPFMFC_CANT_SYNC.</summary>
    public static readonly OfError FlowModFailedCantSync = new(OfErrorType.FlowModFailed, 8);

    /// <summary>OFPFMFC_BAD_PRIORITY.</summary>
    public static readonly OfError FlowModFailedBadPriority = new(OfErrorType.FlowModFailed, 9);

    /// <summary>OFPFMFC_IS_SYNC.</summary>
    public static readonly OfError FlowModFailedIsSync = new(OfErrorType.FlowModFailed, 10);

    /// <summary>OFPBPC_TOO_MANY.</summary>
    public static readonly OfError BadPropertyTooMany = new(OfErrorType.BadProperty, 3);

    /// <summary>OFPBPC_DUP_TYPE.</summary>
    public static readonly OfError BadPropertyDupType = new(OfErrorType.BadProperty, 4);

    /// <summary>OFPBPC_BAD_EXPERIMENTER.</summary>
    public static readonly OfError BadPropertyBadExperimenter = new(OfErrorType.BadProperty, 5);

    /// <summary>OFPBPC_BAD_EXP_TYPE.</summary>
    public static readonly OfError BadPropertyBadExpType = new(OfErrorType.BadProperty, 6);

    /// <summary>OFPBPC_BAD_EXP_VALUE.</summary>
    public static readonly OfError BadPropertyBadExpValue = new(OfErrorType.BadProperty, 7);

    /// <summary>OFPBPC_EPERM.</summary>
    public static readonly OfError BadPropertyPermission = new(OfErrorType.BadProperty, 8);

    /// <summary>OFPACFC_INVALID.</summary>
    public static readonly OfError AsyncConfigFailedInvalid = new(OfErrorType.AsyncConfigFailed, 0);

    /// <summary>OFPACFC_UNSUPPORTED.</summary>
    public static readonly OfError AsyncConfigFailedUnsupported = new(OfErrorType.AsyncConfigFailed, 1);

    /// <summary>OFPACFC_EPERM.</summary>
    public static readonly OfError AsyncConfigFailedPermission = new(OfErrorType.AsyncConfigFailed, 2);

    /// <summary>OFPMOFC_UNKNOWN.</summary>
    public static readonly OfError FlowMonitorFailedUnknown = new(OfErrorType.FlowMonitorFailed, 0);

    /// <summary>OFPMOFC_MONITOR_EXISTS.</summary>
    public static readonly OfError FlowMonitorFailedMonitorExists = new(OfErrorType.FlowMonitorFailed, 1);

    /// <summary>OFPMOFC_INVALID_MONITOR.</summary>
    public static readonly OfError FlowMonitorFailedInvalidMonitor = new(OfErrorType.FlowMonitorFailed, 2);

    /// <summary>OFPMOFC_UNKNOWN_MONITOR.</summary>
    public static readonly OfError FlowMonitorFailedUnknownMonitor = new(OfErrorType.FlowMonitorFailed, 3);

    /// <summary>OFPMOFC_BAD_COMMAND.</summary>
    public static readonly OfError FlowMonitorFailedBadCommand = new(OfErrorType.FlowMonitorFailed, 4);

    /// <summary>OFPMOFC_BAD_FLAGS.</summary>
    public static readonly OfError FlowMonitorFailedBadFlags = new(OfErrorType.FlowMonitorFailed, 5);

    /// <summary>OFPMOFC_BAD_TABLE_ID.</summary>
    public static readonly OfError FlowMonitorFailedBadTableId = new(OfErrorType.FlowMonitorFailed, 6);

    /// <summary>OFPMOFC_BAD_OUT.</summary>
    public static readonly OfError FlowMonitorFailedBadOut = new(OfErrorType.FlowMonitorFailed, 7);

    /// <summary>OFPBFC_UNKNOWN.</summary>
    public static readonly OfError BundleFailedUnknown = new(OfErrorType.BundleFailed, 0);

    /// <summary>OFPBFC_EPERM.</summary>
    public static readonly OfError BundleFailedPermission = new(OfErrorType.BundleFailed, 1);

    /// <summary>OFPBFC_BAD_ID.</summary>
    public static readonly OfError BundleFailedBadId = new(OfErrorType.BundleFailed, 2);

    /// <summary>OFPBFC_BUNDLE_EXIST.</summary>
    public static readonly OfError BundleFailedBundleExist = new(OfErrorType.BundleFailed, 3);

    /// <summary>OFPBFC_BUNDLE_CLOSED.</summary>
    public static readonly OfError BundleFailedBundleClosed = new(OfErrorType.BundleFailed, 4);

    /// <summary>OFPBFC_OUT_OF_BUNDLES.</summary>
    public static readonly OfError BundleFailedOutOfBundles = new(OfErrorType.BundleFailed, 5);

    /// <summary>OFPBFC_BAD_TYPE.</summary>
    public static readonly OfError BundleFailedBadType = new(OfErrorType.BundleFailed, 6);

    /// <summary>OFPBFC_BAD_FLAGS.</summary>
    public static readonly OfError BundleFailedBadFlags = new(OfErrorType.BundleFailed, 7);

    /// <summary>OFPBFC_MSG_BAD_LEN.</summary>
    public static readonly OfError BundleFailedMsgBadLen = new(OfErrorType.BundleFailed, 8);

    /// <summary>OFPBFC_MSG_BAD_XID.</summary>
    public static readonly OfError BundleFailedMsgBadXid = new(OfErrorType.BundleFailed, 9);

    /// <summary>OFPBFC_MSG_UNSUP.</summary>
    public static readonly OfError BundleFailedMsgUnsup = new(OfErrorType.BundleFailed, 10);

    /// <summary>OFPBFC_MSG_CONFLICT.</summary>
    public static readonly OfError BundleFailedMsgConflict = new(OfErrorType.BundleFailed, 11);

    /// <summary>OFPBFC_MSG_TOO_MANY.</summary>
    public static readonly OfError BundleFailedMsgTooMany = new(OfErrorType.BundleFailed, 12);

    /// <summary>OFPBFC_MSG_FAILED.</summary>
    public static readonly OfError BundleFailedMsgFailed = new(OfErrorType.BundleFailed, 13);

    /// <summary>OFPBFC_TIMEOUT.</summary>
    public static readonly OfError BundleFailedTimeout = new(OfErrorType.BundleFailed, 14);

    /// <summary>OFPBFC_BUNDLE_IN_PROGRESS.</summary>
    public static readonly OfError BundleFailedBundleInProgress = new(OfErrorType.BundleFailed, 15);

    /// <summary>OFPBRC_MULTIPART_BAD_SCHED.</summary>
    public static readonly OfError BadRequestMultipartBadSched = new(OfErrorType.BadRequest, 16);

    /// <summary>OFPBRC_PIPELINE_FIELDS_ONLY.</summary>
    public static readonly OfError BadRequestPipelineFieldsOnly = new(OfErrorType.BadRequest, 17);

    /// <summary>OFPBRC_UNKNOWN.</summary>
    public static readonly OfError BadRequestUnknown = new(OfErrorType.BadRequest, 18);

    /// <summary>OFPBAC_BAD_SET_MASK.</summary>
    public static readonly OfError BadActionBadSetMask = new(OfErrorType.BadAction, 16);

    /// <summary>OFPBAC_BAD_METER.</summary>
    public static readonly OfError BadActionBadMeter = new(OfErrorType.BadAction, 17);

    /// <summary>OFPGMFC_UNKNOWN_BUCKET.</summary>
    public static readonly OfError GroupModFailedUnknownBucket = new(OfErrorType.GroupModFailed, 15);

    /// <summary>OFPGMFC_BUCKET_EXISTS.</summary>
    public static readonly OfError GroupModFailedBucketExists = new(OfErrorType.GroupModFailed, 16);

    /// <summary>OFPRRFC_ID_UNSUP.</summary>
    public static readonly OfError RoleRequestFailedIdUnsup = new(OfErrorType.RoleRequestFailed, 3);

    /// <summary>OFPRRFC_ID_IN_USE.</summary>
    public static readonly OfError RoleRequestFailedIdInUse = new(OfErrorType.RoleRequestFailed, 4);

    /// <summary>OFPTFFC_BAD_CAPA.</summary>
    public static readonly OfError TableFeaturesFailedBadCapa = new(OfErrorType.TableFeaturesFailed, 6);

    /// <summary>OFPTFFC_BAD_MAX_ENT.</summary>
    public static readonly OfError TableFeaturesFailedBadMaxEnt = new(OfErrorType.TableFeaturesFailed, 7);

    /// <summary>OFPTFFC_BAD_FEATURES.</summary>
    public static readonly OfError TableFeaturesFailedBadFeatures = new(OfErrorType.TableFeaturesFailed, 8);

    /// <summary>OFPTFFC_BAD_COMMAND.</summary>
    public static readonly OfError TableFeaturesFailedBadCommand = new(OfErrorType.TableFeaturesFailed, 9);

    /// <summary>OFPTFFC_TOO_MANY.</summary>
    public static readonly OfError TableFeaturesFailedTooMany = new(OfErrorType.TableFeaturesFailed, 10);

    /// <summary>OFPBFC_SCHED_NOT_SUPPORTED.</summary>
    public static readonly OfError BundleFailedSchedNotSupported = new(OfErrorType.BundleFailed, 16);

    /// <summary>OFPBFC_SCHED_FUTURE.</summary>
    public static readonly OfError BundleFailedSchedFuture = new(OfErrorType.BundleFailed, 17);

    /// <summary>OFPBFC_SCHED_PAST.</summary>
    public static readonly OfError BundleFailedSchedPast = new(OfErrorType.BundleFailed, 18);

    /// <summary>NXBRC_NXM_INVALID.</summary>
    public static readonly OfError NxBadRequestNxmInvalid = new(OfErrorType.Experimenter, 2, NiciraVendor);

    /// <summary>NXBRC_NXM_BAD_TYPE.</summary>
    public static readonly OfError NxBadRequestNxmBadType = new(OfErrorType.Experimenter, 3, NiciraVendor);

    /// <summary>NXBRC_MUST_BE_ZERO.</summary>
    public static readonly OfError NxBadRequestMustBeZero = new(OfErrorType.Experimenter, 4, NiciraVendor);

    /// <summary>NXBRC_BAD_REASON.</summary>
    public static readonly OfError NxBadRequestBadReason = new(OfErrorType.Experimenter, 5, NiciraVendor);

    /// <summary>NXBRC_FM_BAD_EVENT.</summary>
    public static readonly OfError NxBadRequestFmBadEvent = new(OfErrorType.Experimenter, 9, NiciraVendor);

    /// <summary>NXBRC_UNENCODABLE_ERROR.</summary>
    public static readonly OfError NxBadRequestUnencodableError = new(OfErrorType.Experimenter, 10, NiciraVendor);

    /// <summary>NXBAC_MUST_BE_ZERO.</summary>
    public static readonly OfError NxBadActionMustBeZero = new(OfErrorType.Experimenter, 11, NiciraVendor);

    /// <summary>NXFMFC_HARDWARE.</summary>
    public static readonly OfError NxFlowModFailedHardware = new(OfErrorType.Experimenter, 12, NiciraVendor);

    /// <summary>NXFMFC_BAD_TABLE_ID.</summary>
    public static readonly OfError NxFlowModFailedBadTableId = new(OfErrorType.Experimenter, 13, NiciraVendor);

    /// <summary>NXBAC_BAD_CONJUNCTION.</summary>
    public static readonly OfError NxBadActionBadConjunction = new(OfErrorType.Experimenter, 15, NiciraVendor);

    /// <summary>NXTTMFC_BAD_COMMAND.</summary>
    public static readonly OfError NxTlvTableModFailedBadCommand = new(OfErrorType.Experimenter, 16, NiciraVendor);

    /// <summary>NXTTMFC_BAD_OPT_LEN.</summary>
    public static readonly OfError NxTlvTableModFailedBadOptLen = new(OfErrorType.Experimenter, 17, NiciraVendor);

    /// <summary>NXTTMFC_BAD_FIELD_IDX.</summary>
    public static readonly OfError NxTlvTableModFailedBadFieldIdx = new(OfErrorType.Experimenter, 18, NiciraVendor);

    /// <summary>NXTTMFC_TABLE_FULL.</summary>
    public static readonly OfError NxTlvTableModFailedTableFull = new(OfErrorType.Experimenter, 19, NiciraVendor);

    /// <summary>NXTTMFC_ALREADY_MAPPED.</summary>
    public static readonly OfError NxTlvTableModFailedAlreadyMapped = new(OfErrorType.Experimenter, 20, NiciraVendor);

    /// <summary>NXTTMFC_DUP_ENTRY.</summary>
    public static readonly OfError NxTlvTableModFailedDupEntry = new(OfErrorType.Experimenter, 21, NiciraVendor);

    /// <summary>NXR_NOT_SUPPORTED.</summary>
    public static readonly OfError NxResumeNotSupported = new(OfErrorType.Experimenter, 34, NiciraVendor);

    /// <summary>NXR_STALE.</summary>
    public static readonly OfError NxResumeStale = new(OfErrorType.Experimenter, 35, NiciraVendor);

    /// <summary>NXST_NOT_CONFIGURED.</summary>
    public static readonly OfError NxStatsNotConfigured = new(OfErrorType.Experimenter, 36, NiciraVendor);

    /// <summary>NXFMFC_INVALID_TLV_FIELD.</summary>
    public static readonly OfError NxFlowModFailedInvalidTlvField = new(OfErrorType.Experimenter, 37, NiciraVendor);

    /// <summary>NXTTMFC_INVALID_TLV_DEL.</summary>
    public static readonly OfError NxTlvTableModFailedInvalidTlvDel = new(OfErrorType.Experimenter, 38, NiciraVendor);

    /// <summary>NXBAC_BAD_HEADER_TYPE.</summary>
    public static readonly OfError NxBadActionBadHeaderType = new(OfErrorType.Experimenter, 39, NiciraVendor);

    /// <summary>NXBAC_UNKNOWN_ED_PROP.</summary>
    public static readonly OfError NxBadActionUnknownEdProp = new(OfErrorType.Experimenter, 40, NiciraVendor);

    /// <summary>NXBAC_BAD_ED_PROP.</summary>
    public static readonly OfError NxBadActionBadEdProp = new(OfErrorType.Experimenter, 41, NiciraVendor);

    /// <summary>NXBAC_CT_DATAPATH_SUPPORT.</summary>
    public static readonly OfError NxBadActionCtDatapathSupport = new(OfErrorType.Experimenter, 42, NiciraVendor);

    /// <summary>NXBMC_CT_DATAPATH_SUPPORT.</summary>
    public static readonly OfError NxBadMatchCtDatapathSupport = new(OfErrorType.Experimenter, 43, NiciraVendor);

    /// <summary>NXTFFC_DUP_TABLE.</summary>
    public static readonly OfError NxTableFeaturesFailedDupTable = new(OfErrorType.Experimenter, 44, NiciraVendor);

    /// <summary>OFPBFC_BAD_VERSION.</summary>
    public static readonly OfError BundleFailedBadVersion = new(OfErrorType.Experimenter, 22, NiciraVendor);

    /// <summary>NXQOFC_QUEUE_ERROR.</summary>
    public static readonly OfError NxQueueOpFailedQueueError = new(OfErrorType.Experimenter, 23, NiciraVendor);

    /// <summary>Open vSwitch's name for the error (OFPBRC_BAD_LEN, NXBRC_NXM_INVALID, ...), or null for one it does not know.</summary>
    public string? Name => OfErrorEncoding.NameOf(this);

    /// <inheritdoc/>
    public override string ToString()
        => Name ?? (Vendor != 0 ? $"{Type}({(ushort)Type}),code {Code},vendor 0x{Vendor:x8}" : $"{Type}({(ushort)Type}),code {Code}");
}
