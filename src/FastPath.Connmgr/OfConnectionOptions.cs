using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>
/// Limits and timers of one OpenFlow connection. The defaults follow Open vSwitch where it has a number
/// (inactivity_probe 5 s, controller_queue_size 100, OFCONN_REPLY_MAX 100) and are otherwise sized so that one
/// peer can hold at most a few hundred KiB of the switch's memory.
/// </summary>
public sealed record OfConnectionOptions
{
    /// <summary>The versions offered in our hello (bit N: wire version N).</summary>
    public uint AllowedVersions { get; init; } = OfVersions.Supported;

    /// <summary>
    /// Silence after which an echo request is sent; as much again without anything received closes the
    /// connection (Open vSwitch's inactivity_probe). Zero disables the probe.
    /// </summary>
    public TimeSpan InactivityProbe { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the peer may take to send its hello.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one message may take to arrive whole once its first byte is in (a slowloris peer is closed after this).</summary>
    public TimeSpan PartialMessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest message accepted. A longer one is answered with OFPBRC_BAD_LEN and skipped as it arrives,
    /// never buffered whole. OpenFlow's 16-bit length makes 65535 the natural maximum.
    /// </summary>
    public int MaxMessageBytes { get; init; } = ushort.MaxValue;

    /// <summary>Bytes one read from the stream takes at most.</summary>
    public const int ReadSize = 4096;

    /// <summary>
    /// Bytes of input held for one connection at most: an incomplete message plus one read. Framing keeps the
    /// buffer within <see cref="MaxMessageBytes"/> plus <see cref="ReadSize"/> (nothing more is read while
    /// replies back up), so this is a guard; reaching it closes the connection.
    /// </summary>
    public int MaxInputBufferBytes { get; init; } = ushort.MaxValue + ReadSize;

    /// <summary>
    /// Queued output above which the connection stops reading requests until its replies drain (Open vSwitch
    /// stops serving a connection with OFCONN_REPLY_MAX replies pending), and droppable messages are dropped.
    /// </summary>
    public int SoftQueueBytes { get; init; } = 256 * 1024;

    /// <summary>Queued messages above which reading pauses, as <see cref="SoftQueueBytes"/>.</summary>
    public int SoftQueueMessages { get; init; } = 100;

    /// <summary>
    /// Queued output a connection may hold at most. A reply or other undroppable message that would pass it
    /// closes the connection (the peer does not drain what it asked for) rather than being lost silently.
    /// </summary>
    public int HardQueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Queued messages a connection may hold at most, as <see cref="HardQueueBytes"/>.</summary>
    public int HardQueueMessages { get; init; } = 16 * 1024;

    /// <summary>Packet-ins (and other droppable messages) queued at most; more are dropped and counted (Open vSwitch's controller_queue_size).</summary>
    public int MaxQueuedDroppable { get; init; } = 100;

    /// <summary>Packet-ins per second sent at most (Open vSwitch's controller_rate_limit); zero: no limit.</summary>
    public int PacketInRateLimit { get; init; }

    /// <summary>Packet-ins sent in a burst, and queued beyond the rate at most (controller_burst_limit); zero: a quarter of the rate.</summary>
    public int PacketInBurstLimit { get; init; }

    /// <summary>How long a connection being closed after a final message (hello failure, bad length) waits for it to drain.</summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work.</summary>
    public void Validate()
    {
        if ((AllowedVersions & OfVersions.Supported) == 0)
        {
            throw new ArgumentException("allowed versions include none FastPath speaks");
        }

        if (InactivityProbe < TimeSpan.Zero || HelloTimeout <= TimeSpan.Zero || PartialMessageTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive (inactivity probe: zero disables it)");
        }

        if (MaxMessageBytes < OfHeader.Size || MaxInputBufferBytes < MaxMessageBytes + ReadSize)
        {
            throw new ArgumentException($"message cap must be at least 8 bytes, and the input buffer cap at least the message cap plus {ReadSize}");
        }

        if (SoftQueueBytes <= 0 || SoftQueueMessages <= 0 || HardQueueBytes < SoftQueueBytes || HardQueueMessages < SoftQueueMessages || MaxQueuedDroppable < 0)
        {
            throw new ArgumentException("send queue limits must be positive, hard limits at least the soft ones");
        }

        if (PacketInRateLimit < 0 || PacketInBurstLimit < 0)
        {
            throw new ArgumentException("packet-in rate and burst limits cannot be negative");
        }
    }
}
