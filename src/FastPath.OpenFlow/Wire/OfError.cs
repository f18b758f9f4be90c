namespace FastPath.OpenFlow.Wire;

/// <summary>
/// One OpenFlow error, named by its OpenFlow 1.3 type and code (OpenFlow 1.4/1.5 share the numbering; the
/// OpenFlow 1.0 encoding, which numbers differently and lacks some errors, is chosen when the message is written).
/// </summary>
/// <param name="Type">The error type.</param>
/// <param name="Code">The code within the type, in OpenFlow 1.3 numbering.</param>
public readonly record struct OfError(OfErrorType Type, ushort Code)
{
    /// <summary>OFPHFC_INCOMPATIBLE: no common version.</summary>
    public static readonly OfError HelloIncompatible = new(OfErrorType.HelloFailed, 0);

    /// <summary>OFPBRC_BAD_VERSION: the header's version is not the negotiated one.</summary>
    public static readonly OfError BadRequestBadVersion = new(OfErrorType.BadRequest, 0);

    /// <summary>OFPBRC_BAD_TYPE: unknown or unsupported message type.</summary>
    public static readonly OfError BadRequestBadType = new(OfErrorType.BadRequest, 1);

    /// <summary>OFPBRC_BAD_MULTIPART (OFPBRC_BAD_STAT in 1.0): unknown multipart type.</summary>
    public static readonly OfError BadRequestBadMultipart = new(OfErrorType.BadRequest, 2);

    /// <summary>OFPBRC_BAD_EXPERIMENTER: unknown experimenter id.</summary>
    public static readonly OfError BadRequestBadExperimenter = new(OfErrorType.BadRequest, 3);

    /// <summary>OFPBRC_BAD_EXP_TYPE: unknown experimenter message type.</summary>
    public static readonly OfError BadRequestBadExpType = new(OfErrorType.BadRequest, 4);

    /// <summary>OFPBRC_EPERM: not permitted (a slave's state-changing request).</summary>
    public static readonly OfError BadRequestPermission = new(OfErrorType.BadRequest, 5);

    /// <summary>OFPBRC_BAD_LEN: a length does not fit the bytes or the structure.</summary>
    public static readonly OfError BadRequestBadLen = new(OfErrorType.BadRequest, 6);

    /// <summary>OFPBRC_BUFFER_UNKNOWN: the buffer id names no buffered packet.</summary>
    public static readonly OfError BadRequestBufferUnknown = new(OfErrorType.BadRequest, 8);

    /// <summary>OFPBRC_BAD_TABLE_ID.</summary>
    public static readonly OfError BadRequestBadTableId = new(OfErrorType.BadRequest, 9);

    /// <summary>OFPBRC_IS_SLAVE: a slave controller tried to change state.</summary>
    public static readonly OfError BadRequestIsSlave = new(OfErrorType.BadRequest, 10);

    /// <summary>OFPBRC_BAD_PORT.</summary>
    public static readonly OfError BadRequestBadPort = new(OfErrorType.BadRequest, 11);

    /// <summary>OFPBRC_MULTIPART_BUFFER_OVERFLOW.</summary>
    public static readonly OfError BadRequestMultipartBufferOverflow = new(OfErrorType.BadRequest, 13);

    /// <summary>OFPBAC_BAD_TYPE: unknown or unsupported action type.</summary>
    public static readonly OfError BadActionBadType = new(OfErrorType.BadAction, 0);

    /// <summary>OFPBAC_BAD_LEN: an action's length is wrong for its type or runs past the list.</summary>
    public static readonly OfError BadActionBadLen = new(OfErrorType.BadAction, 1);

    /// <summary>OFPBAC_BAD_EXPERIMENTER (OFPBAC_BAD_VENDOR in 1.0): unknown experimenter id in an action.</summary>
    public static readonly OfError BadActionBadExperimenter = new(OfErrorType.BadAction, 2);

    /// <summary>OFPBAC_BAD_EXP_TYPE (OFPBAC_BAD_VENDOR_TYPE in 1.0): unknown or unsupported experimenter action.</summary>
    public static readonly OfError BadActionBadExpType = new(OfErrorType.BadAction, 3);

    /// <summary>OFPBAC_BAD_OUT_PORT: an output to a port that cannot be one.</summary>
    public static readonly OfError BadActionBadOutPort = new(OfErrorType.BadAction, 4);

    /// <summary>OFPBAC_BAD_ARGUMENT: an action's argument is out of range.</summary>
    public static readonly OfError BadActionBadArgument = new(OfErrorType.BadAction, 5);

    /// <summary>OFPBAC_BAD_OUT_GROUP: a group action names no group.</summary>
    public static readonly OfError BadActionBadOutGroup = new(OfErrorType.BadAction, 9);

    /// <summary>OFPBAC_MATCH_INCONSISTENT: an action needs what the match does not guarantee.</summary>
    public static readonly OfError BadActionMatchInconsistent = new(OfErrorType.BadAction, 10);

    /// <summary>OFPBAC_UNSUPPORTED_ORDER: the actions come in an order that cannot be carried out.</summary>
    public static readonly OfError BadActionUnsupportedOrder = new(OfErrorType.BadAction, 11);

    /// <summary>OFPBAC_BAD_SET_TYPE: set-field of an unsupported field.</summary>
    public static readonly OfError BadActionBadSetType = new(OfErrorType.BadAction, 13);

    /// <summary>OFPBAC_BAD_SET_LEN: a set-field or subfield length does not fit the field.</summary>
    public static readonly OfError BadActionBadSetLen = new(OfErrorType.BadAction, 14);

    /// <summary>OFPBAC_BAD_SET_ARGUMENT: a set-field value or destination that cannot be written.</summary>
    public static readonly OfError BadActionBadSetArgument = new(OfErrorType.BadAction, 15);

    /// <summary>OFPBIC_UNKNOWN_INST: unknown instruction type.</summary>
    public static readonly OfError BadInstructionUnknown = new(OfErrorType.BadInstruction, 0);

    /// <summary>OFPBIC_UNSUP_INST: an instruction the switch does not support (or one this context forbids).</summary>
    public static readonly OfError BadInstructionUnsupported = new(OfErrorType.BadInstruction, 1);

    /// <summary>OFPBIC_BAD_TABLE_ID: goto_table to a table that cannot follow.</summary>
    public static readonly OfError BadInstructionBadTableId = new(OfErrorType.BadInstruction, 2);

    /// <summary>OFPBIC_BAD_EXPERIMENTER: experimenter instruction (none is supported).</summary>
    public static readonly OfError BadInstructionBadExperimenter = new(OfErrorType.BadInstruction, 5);

    /// <summary>OFPBIC_BAD_LEN: an instruction's length is wrong or runs past the list.</summary>
    public static readonly OfError BadInstructionBadLen = new(OfErrorType.BadInstruction, 7);

    /// <summary>OFPBIC_DUP_INST: the same instruction twice (OpenFlow 1.4's number; Open vSwitch sends its own NX code on 1.3).</summary>
    public static readonly OfError BadInstructionDuplicate = new(OfErrorType.BadInstruction, 9);

    /// <summary>OFPBMC_BAD_TYPE: a match type other than OFPMT_OXM.</summary>
    public static readonly OfError BadMatchBadType = new(OfErrorType.BadMatch, 0);

    /// <summary>OFPBMC_BAD_PREREQ: a match lacks what a field needs.</summary>
    public static readonly OfError BadMatchBadPrereq = new(OfErrorType.BadMatch, 9);

    /// <summary>OFPGMFC_BAD_TYPE: unknown group type.</summary>
    public static readonly OfError GroupModBadType = new(OfErrorType.GroupModFailed, 10);

    /// <summary>OFPGMFC_BAD_COMMAND: unknown group-mod command.</summary>
    public static readonly OfError GroupModBadCommand = new(OfErrorType.GroupModFailed, 11);

    /// <summary>OFPGMFC_BAD_BUCKET: a bucket's length or contents are malformed.</summary>
    public static readonly OfError GroupModBadBucket = new(OfErrorType.GroupModFailed, 12);

    /// <summary>OFPMMFC_BAD_COMMAND: unknown meter-mod command.</summary>
    public static readonly OfError MeterModBadCommand = new(OfErrorType.MeterModFailed, 4);

    /// <summary>OFPMMFC_BAD_BAND: a band of unknown type or malformed length.</summary>
    public static readonly OfError MeterModBadBand = new(OfErrorType.MeterModFailed, 8);

    /// <summary>OFPBPC_BAD_LEN (OpenFlow 1.4+ properties): a property's length is wrong.</summary>
    public static readonly OfError BadPropertyBadLen = new(OfErrorType.BadProperty, 1);

    /// <summary>OFPBRC_PIPELINE_FIELDS_ONLY (OpenFlow 1.5): a packet-out match names a packet field.</summary>
    public static readonly OfError BadRequestPipelineFieldsOnly = new(OfErrorType.BadRequest, 17);

    /// <summary>OFPBPC_BAD_TYPE: an unknown property.</summary>
    public static readonly OfError BadPropertyBadType = new(OfErrorType.BadProperty, 0);

    /// <summary>OFPBMC_BAD_LEN: an OXM header's length does not fit its field.</summary>
    public static readonly OfError BadMatchBadLen = new(OfErrorType.BadMatch, 1);

    /// <summary>OFPBMC_BAD_WILDCARDS: what Open vSwitch answers for a masked set_field before OpenFlow 1.5.</summary>
    public static readonly OfError BadMatchBadWildcards = new(OfErrorType.BadMatch, 5);

    /// <summary>
    /// Open vSwitch's NXFMFC_INVALID_TLV_FIELD: a tun_metadata field no TLV map names (an experimenter error:
    /// experimenter 0x00002320, code 37 on OpenFlow 1.2+; Nicira's vendor error on 1.0).
    /// </summary>
    public static readonly OfError NxFlowModInvalidTlvField = new(OfErrorType.Experimenter, 37);

    /// <summary>OFPBMC_BAD_FIELD: an OXM/NXM header names no supported field.</summary>
    public static readonly OfError BadMatchBadField = new(OfErrorType.BadMatch, 6);

    /// <summary>OFPBMC_BAD_MASK: a mask where the field or context takes none.</summary>
    public static readonly OfError BadMatchBadMask = new(OfErrorType.BadMatch, 8);

    /// <inheritdoc/>
    public override string ToString() => $"{Type}({(ushort)Type}),code {Code}";
}
