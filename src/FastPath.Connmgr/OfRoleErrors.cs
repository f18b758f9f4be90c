using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>OFPET_ROLE_REQUEST_FAILED's codes (OpenFlow 1.3 §7.4.4.13).</summary>
public static class OfRoleErrors
{
    /// <summary>OFPRRFC_STALE: the generation id is older than the last one seen.</summary>
    public static readonly OfError Stale = new(OfErrorType.RoleRequestFailed, 0);

    /// <summary>OFPRRFC_UNSUP: the role change is not supported.</summary>
    public static readonly OfError Unsupported = new(OfErrorType.RoleRequestFailed, 1);

    /// <summary>OFPRRFC_BAD_ROLE: an invalid role.</summary>
    public static readonly OfError BadRole = new(OfErrorType.RoleRequestFailed, 2);
}
