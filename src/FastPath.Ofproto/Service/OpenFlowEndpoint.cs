using System.Collections.Concurrent;
using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Ofproto.Service;

/// <summary>
/// One bridge's OpenFlow service, Open vSwitch's handle_openflow plus the asynchronous half of its connmgr:
/// every request of every connection (controllers and tools alike) is applied to the bridge on its ofproto
/// thread, in the order each connection sent them, and answered there; packet-ins, flow-removed notices and
/// port-status messages go to the connections whose role and async configuration want them.
/// </summary>
/// <remarks>
/// The ofproto thread never waits for I/O, and a connection's I/O waits for it only while its inbox is full (the
/// connection then stops reading: backpressure): requests are posted to its inbox, replies are queued on the
/// connection (<see cref="OfConnection.Send"/> never blocks).
/// Connection state this class keeps (which connections exist, their controller ids) is touched only on the
/// ofproto thread.
/// </remarks>
public sealed partial class OpenFlowEndpoint : IOfMessageHandler, IPacketInSink, IFlowRemovedSink
{
    private readonly List<OfConnection> connections = [];
    private readonly Dictionary<OfConnection, ConnectionExtras> extras = [];
    private readonly ConcurrentDictionary<OfConnection, RequestWindow> windows = new();
    private OfBridge? bridge;
    private PortTable? ports;

    private ulong datapathId;

    /// <summary>A service for the bridge passed to <see cref="Attach"/>, described by <paramref name="options"/>.</summary>
    public OpenFlowEndpoint(OpenFlowEndpointOptions? options = null)
    {
        Options = options ?? new OpenFlowEndpointOptions();
        DatapathId = Options.DatapathId;
    }

    /// <summary>The datapath id features replies carry; starts as <see cref="OpenFlowEndpointOptions.DatapathId"/> and follows the configuration (other_config:datapath-id) at run time.</summary>
    public ulong DatapathId
    {
        get => Volatile.Read(ref datapathId);
        set => Volatile.Write(ref datapathId, value);
    }

    /// <summary>What the switch says about itself (datapath id, descriptions, table count).</summary>
    public OpenFlowEndpointOptions Options { get; }

    /// <summary>Requests refused with an OpenFlow error.</summary>
    public long Errors { get; private set; }

    /// <summary>Requests served.</summary>
    public long Requests { get; private set; }

    /// <summary>Connections served now (read on the ofproto thread).</summary>
    public IReadOnlyList<OfConnection> Connections => connections;

    private OfBridge Bridge => bridge ?? throw new InvalidOperationException("the endpoint has no bridge yet (Attach)");

    private PortTable Ports => ports ?? throw new InvalidOperationException("the endpoint has no bridge yet (Attach)");

    /// <summary>
    /// Serves <paramref name="target"/> with ports <paramref name="portTable"/>: its packet-ins and flow-removed
    /// notices must come here (pass this endpoint as the bridge's sinks). Call once, before connections arrive.
    /// </summary>
    public void Attach(OfBridge target, PortTable portTable)
    {
        if (bridge != null)
        {
            throw new InvalidOperationException("the endpoint serves a bridge already");
        }

        bridge = target;
        ports = portTable;
        ports.Changed += PortChanged;
        bridge.Invoke(() => bridge.Pipeline.Monitor = this);

        // The datapath hands the whole missed packet up; each connection cuts it to its own miss_send_len.
        bridge.Invoke(() => bridge.Xlate.MissSendLength = ushort.MaxValue);
    }

    /// <inheritdoc/>
    void IOfMessageHandler.OnConnected(OfConnection connection) => _ = Post(() =>
    {
        connections.Add(connection);
        extras[connection] = new ConnectionExtras();
        UpdateMissBehaviour();
    });

    /// <inheritdoc/>
    void IOfMessageHandler.OnMessage(OfConnection connection, OfRequest request) => _ = ((IOfMessageHandler)this).OnMessageAsync(connection, request);

    /// <inheritdoc/>
    ValueTask IOfMessageHandler.OnMessageAsync(OfConnection connection, OfRequest request)
    {
        OfprotoCoverage.OfprotoRecvOpenflow.Add(1);
        RequestWindow window = windows.GetOrAdd(connection, static _ => new RequestWindow());
        Task? full = window.Enter();
        bool counted = true;
        void Done()
        {
            if (counted)
            {
                counted = false;
                window.Exit();
            }
        }

        ValueTask posted = Post(
            () =>
            {
                try
                {
                    // A request of a peer that has gone needs no answer: skipping it frees the thread for the others.
                    if (connection.CloseReason is null)
                    {
                        Serve(connection, request);
                    }
                }
                finally
                {
                    Done();
                }
            },
            connection,
            request,
            Done);
        if (full is null)
        {
            return posted;
        }

        return posted.IsCompletedSuccessfully ? new ValueTask(full) : new ValueTask(Task.WhenAll(posted.AsTask(), full));
    }

    /// <inheritdoc/>
    void IOfMessageHandler.OnDisconnected(OfConnection connection) => _ = Post(() =>
    {
        windows.TryRemove(connection, out _);
        connections.Remove(connection);
        extras.Remove(connection);
        UpdateMissBehaviour();
    });

    // Everything runs on the ofproto thread, in the order posted: a connection's requests keep their order. While
    // the thread's inbox is full the returned task waits for room, and the connection reads nothing more meanwhile:
    // a peer flooding requests is slowed to the pace they are served at, and none is refused or lost.
    private ValueTask Post(Action work, OfConnection? connection = null, OfRequest request = default, Action? abandoned = null) =>
        Bridge.Thread.EnqueueAsync(
            work,
            e =>
            {
                abandoned?.Invoke();

                // The thread stopped (or the work failed unexpectedly): the request cannot be served, and saying
                // so is better than silence (OpenFlow has no "busy" error; EPERM is what OVS answers when it cannot).
                if (connection != null && request.Message != null && e is not OperationCanceledException)
                {
                    connection.SendError(OfError.BadRequestPermission, request);
                }
            });

    private void Serve(OfConnection c, OfRequest request)
    {
        Requests++;
        serving = c;
        servingXid = request.Xid;
        try
        {
            Dispatch(c, request);
        }
        catch (OfErrorException e)
        {
            Refuse(c, request, e.Error);
        }
        catch (FlowModException e)
        {
            Refuse(c, request, OfprotoErrors.Of(e.Error));
        }
        catch (GroupModException e)
        {
            Refuse(c, request, OfprotoErrors.Of(e.Error));
        }
        catch (MeterModException e)
        {
            Refuse(c, request, OfprotoErrors.Of(e.Error));
        }
        finally
        {
            // What the request changed reaches monitors before anything the connection sends later (a barrier reply).
            serving = null;
            FlushMonitors();
        }
    }

    private void Refuse(OfConnection c, in OfRequest request, OfError error)
    {
        Errors++;
        c.SendError(error, request);
    }

    private void Dispatch(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case BarrierMessage { IsReply: false }:
                // Requests are served in order on one thread: everything before the barrier is done, once the
                // datapath has executed the packet-outs and their packet-ins have gone out.
                Bridge.SettlePacketOuts(TimeSpan.FromMilliseconds(200));
                c.Send(new BarrierMessage(true), xid);
                break;
            case ErrorMessage:
                // A peer's error about something we sent: nothing to answer.
                break;
            case SetControllerId id:
                extras[c].ControllerId = id.ControllerId;
                UpdateMissBehaviour();
                break;
            case NxSetFlowFormat f:
                c.Session = c.Session with { FlowFormat = f.Format };
                break;
            case NxSetPacketInFormat f:
                c.Session = c.Session with { PacketInFormat = f.Format };
                break;
            case NxFlowModTableId t:
                // OpenFlow 1.0 flow-mods then carry their table in the command's high byte.
                c.Session = c.Session with { FlowModTableId = t.Enable };
                break;
            default:
                if (!DispatchFlows(c, request) && !DispatchMonitors(c, request) && !DispatchSwitch(c, request))
                {
                    // Something only a switch sends (a reply, a packet-in) or nothing FastPath serves yet.
                    throw new OfErrorException(OfError.BadRequestBadType, $"{request.Message.GetType().Name} is not a request a switch serves");
                }

                break;
        }
    }

    // State-changing requests from a slave controller are refused (OpenFlow 1.2+ roles).
    private static void RequireNotSlave(OfConnection c)
    {
        if (c.IsSlave)
        {
            throw new OfErrorException(OfError.BadRequestIsSlave, "a slave controller may not change the switch");
        }
    }

    // Open vSwitch sends bare table misses to the controllers while some connection speaks OpenFlow 1.0-1.2 with
    // controller id 0 (OpenFlow 1.3 made a miss without a table-miss rule drop).
    private void UpdateMissBehaviour()
    {
        bool wanted = false;
        foreach (OfConnection c in connections)
        {
            if (c.Kind != OfConnectionKind.Snoop && extras[c].ControllerId == 0 && c.Session.Version < OpenFlowVersion.OF13)
            {
                wanted = true;
                break;
            }
        }

        Bridge.Xlate.TableMissToController = wanted;
    }

    // What the endpoint keeps per connection beyond what the connection itself holds.
    private sealed class ConnectionExtras
    {
        public ushort ControllerId { get; set; }

        public bool InvalidTtlToController { get; set; }

        public FlowMonitorState? FlowMonitor { get; set; }
    }
}
