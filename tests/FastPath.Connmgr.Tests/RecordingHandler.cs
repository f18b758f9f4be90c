using System.Collections.Concurrent;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr.Tests;

/// <summary>
/// The switch side as tests need it: records what arrives, answers barriers, and answers every other request
/// with OFPBRC_BAD_TYPE (the "no handler for this yet" answer).
/// </summary>
internal sealed class RecordingHandler : IOfMessageHandler
{
    public ConcurrentQueue<(OfConnection Connection, OfRequest Request)> Messages { get; } = new();

    public ConcurrentQueue<OfConnection> Connected { get; } = new();

    public ConcurrentQueue<OfConnection> Disconnected { get; } = new();

    /// <summary>When set, what each request waits for before the connection reads the next (a handler with no room).</summary>
    public Func<OfRequest, Task>? Admission { get; set; }

    public void OnConnected(OfConnection connection) => Connected.Enqueue(connection);

    public ValueTask OnMessageAsync(OfConnection connection, OfRequest request)
    {
        OnMessage(connection, request);
        return Admission is { } admit ? new ValueTask(admit(request)) : ValueTask.CompletedTask;
    }

    public void OnDisconnected(OfConnection connection) => Disconnected.Enqueue(connection);

    public void OnMessage(OfConnection connection, OfRequest request)
    {
        Messages.Enqueue((connection, request));
        switch (request.Message)
        {
            case BarrierMessage { IsReply: false }:
                connection.Send(new BarrierMessage(true), request.Xid);
                break;
            case ErrorMessage or Echo or BarrierMessage:
                break;
            default:
                connection.SendError(OfError.BadRequestBadType, request);
                break;
        }
    }
}
