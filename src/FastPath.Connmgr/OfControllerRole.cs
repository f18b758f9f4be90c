namespace FastPath.Connmgr;

/// <summary>A controller connection's role (OpenFlow 1.2+ roles; Nicira's NX_ROLE_OTHER is <see cref="Equal"/>).</summary>
public enum OfControllerRole
{
    /// <summary>OFPCR_ROLE_EQUAL: full access, every asynchronous message of a master.</summary>
    Equal = 1,

    /// <summary>OFPCR_ROLE_MASTER: full access; at most one master at a time.</summary>
    Master = 2,

    /// <summary>OFPCR_ROLE_SLAVE: read-only; state-changing requests are refused with OFPBRC_IS_SLAVE.</summary>
    Slave = 3,
}
