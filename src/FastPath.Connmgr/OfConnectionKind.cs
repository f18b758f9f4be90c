namespace FastPath.Connmgr;

/// <summary>Open vSwitch's kinds of OpenFlow connection (ofconn type), and the snoop monitor.</summary>
public enum OfConnectionKind
{
    /// <summary>A primary controller: roles, asynchronous messages by default, and the fail mode apply.</summary>
    Controller,

    /// <summary>A service connection (ovs-ofctl and other tools): no asynchronous messages unless it sets a miss_send_len.</summary>
    Service,

    /// <summary>A snoop monitor (<c>ovs-ofctl snoop</c>): receives a copy of the controllers' traffic, nothing else.</summary>
    Snoop,
}
