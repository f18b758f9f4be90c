using System.Globalization;

namespace FastPath.OpenFlow.Meters;

/// <summary>OpenFlow 1.3's meter ids (<c>OFPM_*</c>) and their <c>ovs-ofctl</c> names.</summary>
public static class OfMeterIds
{
    /// <summary>OFPM_MAX: the highest id of an ordinary meter.</summary>
    public const uint Max = 0xffff0000;

    /// <summary>OFPM_SLOWPATH: the virtual meter of traffic to the slow path.</summary>
    public const uint SlowPath = 0xfffffffd;

    /// <summary>OFPM_CONTROLLER: the virtual meter of packet-ins.</summary>
    public const uint Controller = 0xfffffffe;

    /// <summary>OFPM_ALL: every meter (in deletes and statistics requests).</summary>
    public const uint All = 0xffffffff;

    /// <summary>The id as <c>ovs-ofctl</c> writes it: the number, or <c>slowpath</c>, <c>controller</c>, <c>all</c>.</summary>
    public static string Format(uint meterId) => meterId switch
    {
        <= Max => meterId.ToString(CultureInfo.InvariantCulture),
        SlowPath => "slowpath",
        Controller => "controller",
        All => "all",
        _ => "unknown",
    };
}
