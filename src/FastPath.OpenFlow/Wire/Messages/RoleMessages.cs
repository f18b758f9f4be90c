namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>
/// OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (1.3+), or on OpenFlow 1.0 Open vSwitch's NXT_ROLE_REQUEST / NXT_ROLE_REPLY
/// (which know neither "no change" nor generation ids).
/// </summary>
/// <param name="IsReply">A reply rather than a request.</param>
/// <param name="Role">OFPCR_ROLE_*: 0 no change, 1 equal, 2 master (primary), 3 slave (secondary).</param>
/// <param name="GenerationId">The master election generation id (1.3+).</param>
public sealed record RoleMessage(bool IsReply, uint Role, ulong GenerationId = 0) : OfMessage
{
    /// <summary>OFPCR_ROLE_NOCHANGE.</summary>
    public const uint NoChange = 0;

    /// <summary>OFPCR_ROLE_EQUAL.</summary>
    public const uint Equal = 1;

    /// <summary>OFPCR_ROLE_MASTER.</summary>
    public const uint Master = 2;

    /// <summary>OFPCR_ROLE_SLAVE.</summary>
    public const uint Slave = 3;
}

/// <summary>OFPT_ROLE_STATUS (1.4+): the switch tells a controller its role changed.</summary>
/// <param name="Role">The new role (OFPCR_ROLE_*).</param>
/// <param name="Reason">OFPCRR_MASTER_REQUEST (0), OFPCRR_CONFIG (1), OFPCRR_EXPERIMENTER (2).</param>
/// <param name="GenerationId">The generation id.</param>
public sealed record RoleStatus(uint Role, byte Reason, ulong GenerationId) : OfMessage;
