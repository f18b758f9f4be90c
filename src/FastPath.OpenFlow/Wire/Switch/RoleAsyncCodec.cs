using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Switch;

/// <summary>Bodies of the controller-role and asynchronous-configuration messages, standard and Nicira.</summary>
public static class RoleAsyncCodec
{
    /// <summary>Reads ofp_role_request: role, 4 pad bytes, generation id.</summary>
    public static RoleMessage DecodeRole(ref WireReader body, bool isReply)
    {
        uint role = body.U32();
        body.Skip(4);
        return new RoleMessage(isReply, role, body.U64());
    }

    /// <summary>Writes ofp_role_request.</summary>
    public static void EncodeRole(RoleMessage m, WireWriter w)
    {
        w.U32(m.Role);
        w.Zeros(4);
        w.U64(m.GenerationId);
    }

    /// <summary>Reads nx_role_request (NX_ROLE_OTHER 0, MASTER 1, SLAVE 2) as a request.</summary>
    public static RoleMessage DecodeNxRoleRequest(ref WireReader body, OfSession session) => new(false, FromNx(body.U32()));

    /// <summary>Reads nx_role_request as a reply.</summary>
    public static RoleMessage DecodeNxRoleReply(ref WireReader body, OfSession session) => new(true, FromNx(body.U32()));

    /// <summary>Writes nx_role_request; "no change" has no NX form (OFPRRFC_BAD_ROLE).</summary>
    public static void EncodeNxRole(RoleMessage m, WireWriter w, OfSession session)
        => w.U32(m.Role switch
        {
            RoleMessage.Equal => 0,
            RoleMessage.Master => 1,
            RoleMessage.Slave => 2,
            _ => throw new OfErrorException(OfError.RoleRequestFailedBadRole, $"role {m.Role} has no Nicira form"),
        });

    /// <summary>Reads ofp_role_status (1.4+): role, reason, 3 pad bytes, generation id; properties are skipped.</summary>
    public static RoleStatus DecodeRoleStatus(ref WireReader body)
    {
        uint role = body.U32();
        byte reason = body.U8();
        body.Skip(3);
        var s = new RoleStatus(role, reason, body.U64());
        body.Skip(body.Remaining);
        return s;
    }

    /// <summary>Writes ofp_role_status.</summary>
    public static void EncodeRoleStatus(RoleStatus m, WireWriter w)
    {
        w.U32(m.Role);
        w.U8(m.Reason);
        w.Zeros(3);
        w.U64(m.GenerationId);
    }

    /// <summary>Reads a get-async reply or set-async: the 1.3 struct (three pairs of master/slave masks), or 1.4+ properties.</summary>
    public static AsyncConfig DecodeAsync(ref WireReader body, OfSession session, bool isSet)
    {
        if (session.Version <= OpenFlowVersion.OF13)
        {
            return Decode13(ref body, isSet);
        }

        if (body.Remaining % 8 != 0)
        {
            // Open vSwitch's length check comes before the properties: a multiple of 8 or OFPBRC_BAD_LEN.
            throw new OfErrorException(OfError.BadRequestBadLen, $"async configuration of {body.Remaining} bytes of properties");
        }

        var v = new uint?[12];
        while (!body.AtEnd)
        {
            ushort type = body.U16();
            ushort len = body.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"async property of length {len}");
            }

            WireReader p = body.Sub(len - 4, OfError.BadPropertyBadLen);
            body.Skip(Math.Min(body.Remaining, (8 - (len % 8)) % 8));
            if (type >= 12)
            {
                throw new OfErrorException(OfError.BadPropertyBadType, $"async property type {type}");
            }

            if (len != 8)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"async property {type} of length {len}");
            }

            v[type] = p.U32();
        }

        // Property types alternate slave (even) and master (odd).
        return new AsyncConfig(isSet, v[1], v[0], v[3], v[2], v[5], v[4], v[7], v[6], v[9], v[8], v[11], v[10]);
    }

    /// <summary>Writes a get-async reply or set-async.</summary>
    public static void EncodeAsync(AsyncConfig m, WireWriter w, OfSession session)
    {
        if (session.Version <= OpenFlowVersion.OF13)
        {
            Encode13(m, w);
            return;
        }

        uint?[] v =
        [
            m.PacketInSlave, m.PacketInMaster, m.PortStatusSlave, m.PortStatusMaster, m.FlowRemovedSlave, m.FlowRemovedMaster,
            m.RoleStatusSlave, m.RoleStatusMaster, m.TableStatusSlave, m.TableStatusMaster, m.RequestForwardSlave, m.RequestForwardMaster,
        ];
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] is uint mask)
            {
                w.U16((ushort)i);
                w.U16(8);
                w.U32(mask);
            }
        }
    }

    /// <summary>Reads NXT_SET_ASYNC_CONFIG (the 1.3 struct after the Nicira header).</summary>
    public static AsyncConfig DecodeNxSetAsync(ref WireReader body, OfSession session) => Decode13(ref body, true);

    /// <summary>Writes NXT_SET_ASYNC_CONFIG.</summary>
    public static void EncodeNxSetAsync(AsyncConfig m, WireWriter w, OfSession session) => Encode13(m, w);

    private static AsyncConfig Decode13(ref WireReader body, bool isSet)
    {
        uint pim = body.U32(), pis = body.U32(), psm = body.U32(), pss = body.U32(), frm = body.U32(), frs = body.U32();
        return new AsyncConfig(isSet, pim, pis, psm, pss, frm, frs);
    }

    private static void Encode13(AsyncConfig m, WireWriter w)
    {
        w.U32(m.PacketInMaster ?? 0);
        w.U32(m.PacketInSlave ?? 0);
        w.U32(m.PortStatusMaster ?? 0);
        w.U32(m.PortStatusSlave ?? 0);
        w.U32(m.FlowRemovedMaster ?? 0);
        w.U32(m.FlowRemovedSlave ?? 0);
    }

    private static uint FromNx(uint nx) => nx switch
    {
        0 => RoleMessage.Equal,
        1 => RoleMessage.Master,
        2 => RoleMessage.Slave,
        _ => throw new OfErrorException(OfError.RoleRequestFailedBadRole, $"Nicira role {nx}"),
    };
}
