namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>
/// OFPT_BUNDLE_CONTROL (1.4+; on 1.3 the ONF extension ONFT_BUNDLE_CONTROL): open, close, commit or discard a
/// bundle, and the switch's replies.
/// </summary>
/// <param name="BundleId">The bundle.</param>
/// <param name="Type">OFPBCT_*: 0 open request, 1 open reply, 2 close request, 3 close reply, 4 commit request, 5 commit reply, 6 discard request, 7 discard reply.</param>
/// <param name="Flags">OFPBF_ATOMIC (1), OFPBF_ORDERED (2).</param>
/// <param name="Properties">Properties as on the wire (none that FastPath knows).</param>
public sealed record BundleControl(uint BundleId, ushort Type, ushort Flags, ReadOnlyMemory<byte> Properties = default) : OfMessage;

/// <summary>OFPT_BUNDLE_ADD_MESSAGE (1.4+; 1.3: ONFT_BUNDLE_ADD_MESSAGE): one message added to a bundle.</summary>
/// <param name="BundleId">The bundle.</param>
/// <param name="Flags">OFPBF_* (must match the bundle's).</param>
/// <param name="Message">The whole inner message (its own header included), decoded when the bundle commits.</param>
/// <param name="Properties">Properties after the message, as on the wire.</param>
public sealed record BundleAddMessage(uint BundleId, ushort Flags, ReadOnlyMemory<byte> Message, ReadOnlyMemory<byte> Properties = default) : OfMessage;
