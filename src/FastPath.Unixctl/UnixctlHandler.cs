namespace FastPath.Unixctl;

/// <summary>
/// Runs one command: <paramref name="args"/> are its arguments (not the command's name), already checked against
/// the command's argument counts. Runs on the thread pool; several connections' commands may run at once.
/// Throwing <see cref="UnixctlException"/> answers with its message as the error.
/// </summary>
public delegate Task<UnixctlReply> UnixctlHandler(IReadOnlyList<string> args, CancellationToken cancellationToken);
