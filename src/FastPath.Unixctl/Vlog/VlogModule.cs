namespace FastPath.Unixctl.Vlog;

/// <summary>
/// One log module (Open vSwitch's VLOG_DEFINE_THIS_MODULE): a short name and a level per destination, read on
/// every log call and changed at run time by <c>vlog/set</c>.
/// </summary>
public sealed class VlogModule
{
    private readonly int[] levels = new int[3];

    internal VlogModule(string name, VlogLevel console, VlogLevel syslog, VlogLevel file)
    {
        Name = name;
        levels[(int)VlogDestination.Console] = (int)console;
        levels[(int)VlogDestination.Syslog] = (int)syslog;
        levels[(int)VlogDestination.File] = (int)file;
    }

    /// <summary>The module's name (e.g. <c>dpif_netdev</c>).</summary>
    public string Name { get; }

    /// <summary>The level of <paramref name="destination"/>.</summary>
    public VlogLevel Level(VlogDestination destination) => (VlogLevel)Volatile.Read(ref levels[(int)destination]);

    /// <summary>Whether a message of <paramref name="level"/> goes to <paramref name="destination"/>.</summary>
    public bool Enabled(VlogDestination destination, VlogLevel level)
        => level != VlogLevel.Off && (int)level <= Volatile.Read(ref levels[(int)destination]);

    /// <summary>Whether a message of <paramref name="level"/> goes anywhere.</summary>
    public bool EnabledAnywhere(VlogLevel level)
        => Enabled(VlogDestination.Console, level) || Enabled(VlogDestination.Syslog, level) || Enabled(VlogDestination.File, level);

    internal void Set(VlogDestination destination, VlogLevel level) => Volatile.Write(ref levels[(int)destination], (int)level);
}
