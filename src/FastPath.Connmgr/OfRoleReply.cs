namespace FastPath.Connmgr;

/// <summary>What a role request's reply carries.</summary>
/// <param name="Role">The connection's role after the request.</param>
/// <param name="GenerationId">The switch's generation id, or null if none was ever set.</param>
public readonly record struct OfRoleReply(OfControllerRole Role, ulong? GenerationId);
