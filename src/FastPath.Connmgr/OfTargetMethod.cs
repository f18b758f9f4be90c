namespace FastPath.Connmgr;

/// <summary>The connection methods of Open vSwitch's target syntax.</summary>
public enum OfTargetMethod
{
    /// <summary><c>tcp:IP[:PORT]</c>: connect over TCP.</summary>
    Tcp,

    /// <summary><c>ssl:IP[:PORT]</c>: connect over TLS.</summary>
    Ssl,

    /// <summary><c>unix:PATH</c>: connect to a Unix domain socket.</summary>
    Unix,

    /// <summary><c>ptcp:[PORT][:IP]</c>: listen on TCP.</summary>
    PTcp,

    /// <summary><c>pssl:[PORT][:IP]</c>: listen on TLS.</summary>
    PSsl,

    /// <summary><c>punix:PATH</c>: listen on a Unix domain socket.</summary>
    PUnix,
}
