namespace FastPath.Connmgr;

/// <summary>Where a connection is in its life.</summary>
public enum OfConnectionState
{
    /// <summary>Hellos are being exchanged; nothing else is accepted yet.</summary>
    Negotiating,

    /// <summary>A version is agreed; messages flow.</summary>
    Active,

    /// <summary>Closed (see <see cref="OfConnection.CloseReason"/>).</summary>
    Closed,
}
