namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>Action type numbers on the wire: OpenFlow 1.0's OFPAT10_*, OpenFlow 1.3-1.5's OFPAT_*, and Open vSwitch's NXAST_* subtypes.</summary>
internal static class ActionTypes
{
    /// <summary>OFPAT_VENDOR / OFPAT_EXPERIMENTER.</summary>
    public const ushort Experimenter = 0xffff;

    /// <summary>NX_VENDOR_ID: Nicira, whose actions Open vSwitch uses.</summary>
    public const uint NxVendor = 0x00002320;

    /// <summary>ONF_VENDOR_ID: the Open Networking Foundation's extensions.</summary>
    public const uint OnfVendor = 0x4f4e4600;

    // OpenFlow 1.0.
    public const ushort Of10Output = 0, Of10SetVlanVid = 1, Of10SetVlanPcp = 2, Of10StripVlan = 3, Of10SetDlSrc = 4,
        Of10SetDlDst = 5, Of10SetNwSrc = 6, Of10SetNwDst = 7, Of10SetNwTos = 8, Of10SetTpSrc = 9, Of10SetTpDst = 10,
        Of10Enqueue = 11;

    // OpenFlow 1.3 (1.4 and 1.5 add copy_field and meter).
    public const ushort Output = 0, CopyTtlOut = 11, CopyTtlIn = 12, SetMplsTtl = 15, DecMplsTtl = 16, PushVlan = 17,
        PopVlan = 18, PushMpls = 19, PopMpls = 20, SetQueue = 21, Group = 22, SetNwTtl = 23, DecNwTtl = 24, SetField = 25,
        PushPbb = 26, PopPbb = 27, CopyField = 28, Meter = 29;

    // Nicira extension subtypes (the ones FastPath's actions map to; the rest are refused as unsupported).
    public const ushort NxResubmit = 1, NxSetQueue = 4, NxRegMove = 6, NxRegLoad = 7, NxResubmitTable = 14, NxDecTtl = 18,
        NxWriteMetadata = 22, NxPushMpls = 23, NxPopMpls = 24, NxSetMplsTtl = 25, NxDecMplsTtl = 26, NxSetMplsLabel = 30,
        NxSetMplsTc = 31, NxRegLoad2 = 33, NxGroup = 40, NxNote = 8, NxOutputReg = 15, NxLearn = 16, NxExit = 17,
        NxOutputReg2 = 32, NxLearn2 = 45;

    /// <summary>ONFACT_RAW13_COPY_FIELD: OpenFlow 1.3's ONF copy_field.</summary>
    public const ushort OnfCopyField = 3200;
}
