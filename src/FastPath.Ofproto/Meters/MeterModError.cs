namespace FastPath.Ofproto.Meters;

/// <summary>Why a meter-mod was refused: OpenFlow 1.3's OFPET_METER_MOD_FAILED codes, with their <c>OFPMMFC_*</c> values.</summary>
public enum MeterModError : ushort
{
    /// <summary>OFPMMFC_UNKNOWN: the datapath refused a meter the checks let through.</summary>
    Unknown = 0,

    /// <summary>OFPMMFC_METER_EXISTS: an add for an id that is taken.</summary>
    MeterExists = 1,

    /// <summary>OFPMMFC_INVALID_METER: id 0, or above OFPM_MAX (OFPM_ALL outside a delete) but for the virtual meters slowpath and controller.</summary>
    InvalidMeter = 2,

    /// <summary>OFPMMFC_UNKNOWN_METER: a modify of a meter that does not exist.</summary>
    UnknownMeter = 3,

    /// <summary>OFPMMFC_BAD_COMMAND: not add, modify or delete.</summary>
    BadCommand = 4,

    /// <summary>OFPMMFC_BAD_FLAGS: not exactly one of kbps and pktps, or an unknown flag.</summary>
    BadFlags = 5,

    /// <summary>OFPMMFC_BAD_RATE: a band with rate 0.</summary>
    BadRate = 6,

    /// <summary>
    /// OFPMMFC_BAD_BURST. FastPath never answers with it (here for the wire codec): every burst size works, and
    /// 0 with the burst flag means a bucket of one second of the rate, as in Open vSwitch's userspace datapath.
    /// </summary>
    BadBurst = 7,

    /// <summary>OFPMMFC_BAD_BAND: a band type the datapath lacks (only drop bands: dscp_remark is refused, as Open vSwitch's userspace datapath does).</summary>
    BadBand = 8,

    /// <summary>OFPMMFC_BAD_BAND_VALUE: a band carries a value its type has not (a drop band with a prec_level).</summary>
    BadBandValue = 9,

    /// <summary>OFPMMFC_OUT_OF_METERS: every datapath meter is in use.</summary>
    OutOfMeters = 10,

    /// <summary>OFPMMFC_OUT_OF_BANDS: more bands than a meter may have, or none (Open vSwitch answers this to both).</summary>
    OutOfBands = 11,
}
