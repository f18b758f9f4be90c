using System.Collections.Immutable;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>A Controller row as the daemon reads it.</summary>
/// <param name="Uuid">The row.</param>
/// <param name="Target">target ("tcp:IP:PORT", "ssl:…", "unix:…", "ptcp:…", "punix:…").</param>
/// <param name="Type">type: "primary", "service", or null (by the target: active targets are primary).</param>
/// <param name="ConnectionMode">connection_mode ("in-band", "out-of-band") or null.</param>
/// <param name="MaxBackoff">max_backoff in ms, or null (8000).</param>
/// <param name="InactivityProbe">inactivity_probe in ms, or null (5000; 0 disables).</param>
/// <param name="EnableAsyncMessages">enable_async_messages, or null (true).</param>
/// <param name="ControllerQueueSize">controller_queue_size, or null (100).</param>
/// <param name="ControllerRateLimit">controller_rate_limit (packets/s), or null (off).</param>
/// <param name="ControllerBurstLimit">controller_burst_limit, or null.</param>
/// <param name="OtherConfig">other_config.</param>
/// <param name="ExternalIds">external_ids.</param>
public sealed record ControllerConfig(
    Guid Uuid,
    string Target,
    string? Type,
    string? ConnectionMode,
    long? MaxBackoff,
    long? InactivityProbe,
    bool? EnableAsyncMessages,
    long? ControllerQueueSize,
    long? ControllerRateLimit,
    long? ControllerBurstLimit,
    ImmutableSortedDictionary<string, string> OtherConfig,
    ImmutableSortedDictionary<string, string> ExternalIds);
