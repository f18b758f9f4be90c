using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>
/// The role state machine of one switch (OpenFlow 1.3 §6.3.5, as Open vSwitch's connmgr): a request for master
/// or slave with a generation id older than the last one seen (compared as a signed 64-bit difference, so it
/// wraps) fails with OFPRRFC_STALE; equal ignores the id; a new master demotes every other master to slave.
/// Thread-safe.
/// </summary>
public sealed class OfRoleElection
{
    private readonly Lock gate = new();
    private ulong generationId;
    private bool generationIdDefined;

    /// <summary>The last generation id accepted, or null.</summary>
    public ulong? GenerationId
    {
        get
        {
            lock (gate)
            {
                return generationIdDefined ? generationId : null;
            }
        }
    }

    /// <summary>
    /// Applies a role request from <paramref name="connection"/>: <paramref name="role"/> null is "no change"
    /// (OFPCR_ROLE_NOCHANGE). <paramref name="others"/> are the switch's other connections; those demoted from
    /// master are returned in <paramref name="demoted"/>. Throws <see cref="OfErrorException"/> (OFPRRFC_STALE).
    /// </summary>
    public OfRoleReply Request(OfConnection connection, OfControllerRole? role, ulong? generation, IEnumerable<OfConnection> others, List<OfConnection> demoted)
    {
        lock (gate)
        {
            if (role is { } wanted)
            {
                if (wanted != OfControllerRole.Equal && generation is { } g)
                {
                    if (generationIdDefined && (long)(g - generationId) < 0)
                    {
                        throw new OfErrorException(OfError.RoleRequestFailedStale, $"generation id {g} is older than {generationId}");
                    }

                    generationId = g;
                    generationIdDefined = true;
                }

                if (wanted == OfControllerRole.Master)
                {
                    foreach (OfConnection other in others)
                    {
                        if (other != connection && other.Role == OfControllerRole.Master)
                        {
                            other.Role = OfControllerRole.Slave;
                            demoted.Add(other);
                        }
                    }
                }

                connection.Role = wanted;
            }

            return new OfRoleReply(connection.Role, generationIdDefined ? generationId : null);
        }
    }
}
