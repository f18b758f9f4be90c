namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_FEATURES_REQUEST: asks for the datapath id, buffers, tables and capabilities.</summary>
public sealed record FeaturesRequest : OfMessage;
