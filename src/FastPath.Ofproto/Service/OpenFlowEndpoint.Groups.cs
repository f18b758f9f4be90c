using System.Diagnostics;
using FastPath.Connmgr;
using FastPath.Ofproto.Groups;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Groups;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Ofproto.Service;

/// <summary>Groups (group-mod, group statistics, descriptions, features) and packet-outs.</summary>
public sealed partial class OpenFlowEndpoint
{
    // OFPGT_ALL, SELECT, INDIRECT, FF; OFPGFC_SELECT_WEIGHT | SELECT_LIVENESS | CHAINING.
    private const uint GroupTypes = 0xf;
    private const uint GroupCapabilities = 0x1 | 0x2 | 0x4;

    private bool DispatchGroups(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case GroupModMessage m:
                RequireNotSlave(c);
                GroupModCommand command = m.Command switch
                {
                    OfGroupModCommand.Add => GroupModCommand.Add,
                    OfGroupModCommand.Modify => GroupModCommand.Modify,
                    OfGroupModCommand.Delete => GroupModCommand.Delete,
                    OfGroupModCommand.AddOrModify => GroupModCommand.AddOrModify,
                    _ => throw new OfErrorException(OfError.GroupModFailedBadCommand, $"group-mod command {m.Command} is not supported"),
                };
                Bridge.ApplyGroupMod(new GroupMod(command, m.Group));
                return true;
            case GroupDescRequest d:
                c.Send(new GroupDescReply([.. Bridge.Pipeline.Groups.Groups.Where(g => d.GroupId == GroupIds.All || g.GroupId == d.GroupId).Select(g => g.Description)]), xid);
                return true;
            case GroupStatsRequest s:
                {
                    long now = Stopwatch.GetTimestamp();
                    var stats = new List<OfGroupStats>();
                    foreach (OfGroup g in Bridge.Pipeline.Groups.Groups.Where(g => s.GroupId == GroupIds.All || g.GroupId == s.GroupId))
                    {
                        TimeSpan age = Stopwatch.GetElapsedTime(g.CreatedTicks, now);
                        stats.Add(new OfGroupStats(
                            g.GroupId,
                            (uint)Bridge.Pipeline.GroupRefCount(g.GroupId),
                            (ulong)g.Packets,
                            (ulong)g.Bytes,
                            (uint)age.TotalSeconds,
                            (uint)(age.Ticks % TimeSpan.TicksPerSecond * 100),
                            [.. g.Buckets.Select(b => ((ulong)b.Packets, (ulong)b.Bytes))]));
                    }

                    c.Send(new GroupStatsReply(stats), xid);
                    return true;
                }

            case GroupFeaturesRequest:
                uint max = (uint)Bridge.Pipeline.Groups.MaxGroups;
                // The action bitmap is in the connection's version's numbering (NXST_GROUP_FEATURES on 1.0: OFPAT10_*).
                uint actions = c.Session.Version == OpenFlow.OpenFlowVersion.OF10 ? Of10Actions : SupportedGroupActions;
                c.Send(new GroupFeaturesReply(new OfGroupFeatures(GroupTypes, GroupCapabilities, [max, max, max, max], [actions, actions, actions, actions])), xid);
                return true;
            default:
                return false;
        }
    }

    // OFPAT_OUTPUT, COPY_TTL_*, SET_MPLS_TTL, DEC_MPLS_TTL, PUSH/POP_VLAN, PUSH/POP_MPLS, SET_QUEUE, GROUP, SET_NW_TTL, DEC_NW_TTL, SET_FIELD.
    private const uint SupportedGroupActions = (1u << 0) | (1u << 15) | (1u << 16) | (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20) | (1u << 21) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25);

    private bool DispatchPacketOut(OfConnection c, OfRequest request)
    {
        if (request.Message is not PacketOut p)
        {
            return false;
        }

        RequireNotSlave(c);
        if (p.BufferId != PacketOut.NoBuffer)
        {
            // Nothing is ever buffered: every packet-in carries its whole packet.
            throw new OfErrorException(OfError.BadRequestBufferUnknown, $"buffer {p.BufferId} does not exist");
        }

        uint inPort = p.InPort;
        if (inPort != OpenFlow.Fields.OfPorts.Controller && inPort != OpenFlow.Fields.OfPorts.Local && inPort != OpenFlow.Fields.OfPorts.Any
            && inPort > OpenFlow.Fields.OfPorts.Max)
        {
            throw new OfErrorException(OfError.BadRequestBadPort, $"packet-out from port {inPort:x}");
        }

        // OFPP_NONE / ANY means no input port: the packet comes from the controller.
        if (inPort == OpenFlow.Fields.OfPorts.Any)
        {
            inPort = OpenFlow.Fields.OfPorts.Controller;
        }

        if (!Bridge.ExecutePacketOut(p.Data, inPort, p.Actions, out string? error))
        {
            throw new OfErrorException(OfError.BadActionBadArgument, error ?? "the packet-out could not be executed");
        }

        return true;
    }
}
