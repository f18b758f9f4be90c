namespace FastPath.Connmgr;

/// <summary>
/// Open vSwitch's reconnect backoff (rconn): after a failed attempt or a dropped connection, wait, doubling the
/// wait from <see cref="Min"/> up to <see cref="Max"/>; a connection that stayed up longer than the current wait
/// starts the sequence over.
/// </summary>
public sealed class OfBackoff(TimeSpan min, TimeSpan max)
{
    /// <summary>The first wait (1 s in Open vSwitch).</summary>
    public TimeSpan Min { get; } = min;

    /// <summary>The longest wait (max_backoff, 8 s by default in Open vSwitch).</summary>
    public TimeSpan Max { get; } = max < min ? min : max;

    /// <summary>The wait chosen last (zero before any failure).</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>The wait before the next attempt, after a connection that lasted <paramref name="connectedFor"/> (zero: the attempt failed).</summary>
    public TimeSpan Next(TimeSpan connectedFor)
    {
        if (Current == TimeSpan.Zero || connectedFor > Current)
        {
            Current = Min;
        }
        else
        {
            TimeSpan doubled = Current * 2;
            Current = doubled > Max ? Max : doubled;
        }

        return Current;
    }
}
