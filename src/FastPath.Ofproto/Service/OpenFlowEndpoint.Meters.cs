using System.Diagnostics;
using FastPath.Connmgr;
using FastPath.Ofproto.Meters;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Meters;

namespace FastPath.Ofproto.Service;

/// <summary>Meters: meter-mod, meter statistics, configuration and features (OpenFlow 1.3+).</summary>
public sealed partial class OpenFlowEndpoint
{
    // What Open vSwitch's userspace datapath reports: drop bands only (1 << OFPMBT_DROP), and every OFPMF_* flag
    // (kbps, pktps, burst, stats); no colours.
    private const uint MeterBandTypes = 1u << (int)OfMeterBandType.Drop;
    private const uint MeterCapabilities = (uint)(OfMeterFlags.Kbps | OfMeterFlags.Pktps | OfMeterFlags.Burst | OfMeterFlags.Stats);

    private bool DispatchMeters(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case MeterModMessage m:
                RequireNotSlave(c);
                Bridge.ApplyMeterMod(new MeterMod((MeterModCommand)(ushort)m.Command, m.Meter));
                return true;
            case MeterConfigRequest r:
                RequireMeterOrAll(r.MeterId);
                c.Send(new MeterConfigReply(Bridge.Meters.Configs(r.MeterId)), xid);
                return true;
            case MeterStatsRequest r:
                RequireMeterOrAll(r.MeterId);
                c.Send(new MeterStatsReply(Bridge.Meters.Stats(r.MeterId, Stopwatch.GetTimestamp())), xid);
                return true;
            case MeterFeaturesRequest:
                c.Send(
                    new MeterFeaturesReply(new OfMeterFeatures((uint)Bridge.Meters.MaxMeters, MeterBandTypes, MeterCapabilities, OfMeterTable.MaxBands, 0)),
                    xid);
                return true;
            default:
                return false;
        }
    }

    // A request for one meter that does not exist is an error, not an empty reply (as Open vSwitch 3.1 answers).
    private void RequireMeterOrAll(uint meterId)
    {
        if (meterId != OfMeterIds.All && !Bridge.Meters.Contains(meterId))
        {
            throw new OfErrorException(OfError.MeterModFailedUnknownMeter, $"no meter {OfMeterIds.Format(meterId)}");
        }
    }
}
