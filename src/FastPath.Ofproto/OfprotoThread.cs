using System.Diagnostics;
using System.Threading.Channels;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Revalidation;
using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto;

/// <summary>
/// The one thread that owns the slow path's state (the OpenFlow tables behind its translator, the ukeys, the
/// PMDs' upcall and reply rings): it serves upcalls, revalidates megaflows, and runs the requests other threads
/// post to it, one at a time, so nothing it owns needs a lock.
/// </summary>
public sealed class OfprotoThread : IDisposable
{
    private readonly Channel<Request> inbox;
    private readonly SemaphoreSlim wake = new(0);
    private readonly IFlowTranslator translator;
    private readonly OfprotoOptions options;
    private readonly Thread thread;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Action<long>> timers = [];
    private long revalidatedVersion;
    private Exception? fault;
    private int disposed;

    /// <summary>A slow path for <paramref name="pmds"/> that translates with <paramref name="translator"/>; call <see cref="Start"/>.</summary>
    public OfprotoThread(IReadOnlyList<PmdThread> pmds, IFlowTranslator translator, OfprotoOptions? options = null)
    {
        this.translator = translator;
        this.options = options ?? new OfprotoOptions();
        inbox = Channel.CreateBounded<Request>(new BoundedChannelOptions(this.options.InboxCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Upcalls = new UpcallHandler(pmds, translator, this.options.Upcalls);
        Revalidator = new Revalidator(Upcalls, translator, this.options.Revalidator);
        thread = new Thread(Run) { Name = "ofproto", IsBackground = true };
    }

    /// <summary>The upcall handler (read its counters from the ofproto thread, through <see cref="InvokeAsync{T}"/>).</summary>
    public UpcallHandler Upcalls { get; }

    /// <summary>
    /// Table changes that needed no revalidation pass because no megaflow existed (read on the ofproto thread).
    /// </summary>
    public long ChangesWithoutMegaflows { get; private set; }

    /// <summary>The revalidator.</summary>
    public Revalidator Revalidator { get; }

    /// <summary>The exception that stopped the thread, if one did.</summary>
    public Exception? Fault => Volatile.Read(ref fault);

    /// <summary>Whether the caller is the ofproto thread.</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == thread.ManagedThreadId;

    /// <summary>Starts the thread.</summary>
    public void Start() => thread.Start();

    /// <summary>Runs <paramref name="tick"/> on every loop of the thread with the time (Stopwatch ticks): timeouts, expiries. Call before <see cref="Start"/>.</summary>
    public void AddTimer(Action<long> tick)
    {
        if (thread.IsAlive)
        {
            throw new InvalidOperationException("timers are added before the thread starts");
        }

        timers.Add(tick);
    }

    /// <summary>Runs <paramref name="work"/> on the ofproto thread; the task fails if the inbox is full or the thread has stopped.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new Request(
            () =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            },
            e => done.TrySetException(e));
        if (Volatile.Read(ref disposed) != 0 || stop.IsCancellationRequested || !inbox.Writer.TryWrite(item))
        {
            done.SetException(new InvalidOperationException(stop.IsCancellationRequested ? "the ofproto thread has stopped" : "the ofproto thread's inbox is full"));
        }
        else
        {
            Wake();
        }

        return done.Task;
    }

    /// <summary>
    /// Queues <paramref name="work"/> for the ofproto thread, waiting while the inbox is full: the task completes
    /// once the work is queued (not run), so a producer that awaits it is slowed to the thread's pace and loses
    /// nothing. Posts keep their order, waiting ones included. <paramref name="failed"/> runs instead of or after
    /// <paramref name="work"/> if the thread stops first, the wait is cancelled, or the work throws.
    /// </summary>
    public ValueTask EnqueueAsync(Action work, Action<Exception> failed, CancellationToken cancellation = default)
    {
        var item = new Request(
            () =>
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    failed(e);
                }
            },
            failed);
        if (Volatile.Read(ref disposed) != 0 || stop.IsCancellationRequested)
        {
            failed(new InvalidOperationException("the ofproto thread has stopped"));
            return ValueTask.CompletedTask;
        }

        if (inbox.Writer.TryWrite(item))
        {
            Wake();
            return ValueTask.CompletedTask;
        }

        return WaitForRoomAsync(item, cancellation);
    }

    private async ValueTask WaitForRoomAsync(Request item, CancellationToken cancellation)
    {
        try
        {
            await inbox.Writer.WriteAsync(item, cancellation).ConfigureAwait(false);
            Wake();
        }
        catch (ChannelClosedException)
        {
            item.Fail(new InvalidOperationException("the ofproto thread has stopped"));
        }
        catch (OperationCanceledException e)
        {
            item.Fail(e);
        }
    }

    private void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile: the thread fails what it left in the inbox.
        }
    }

    /// <summary>Runs <paramref name="work"/> on the ofproto thread and waits for it (from any other thread).</summary>
    /// <remarks>Before <see cref="Start"/> the caller owns the slow path's state, so the work runs on the caller's thread.</remarks>
    public T Invoke<T>(Func<T> work, TimeSpan? timeout = null)
    {
        if (IsCurrentThread || thread.ThreadState.HasFlag(System.Threading.ThreadState.Unstarted))
        {
            return work();
        }

        Task<T> t = InvokeAsync(work);
        if (!((IAsyncResult)t).AsyncWaitHandle.WaitOne(timeout ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the ofproto thread did not answer");
        }

        // The work's own exception, not wrapped: callers catch FlowModException and the like.
        return t.GetAwaiter().GetResult();
    }

    /// <summary>Stops the thread and waits for it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        stop.Cancel();
        inbox.Writer.TryComplete();
        if (thread.IsAlive)
        {
            thread.Join();
        }

        stop.Dispose();
        wake.Dispose();
    }

    // A piece of work for the thread, and how to tell its poster it will never run.
    private readonly record struct Request(Action Run, Action<Exception> Fail);

    private void Run()
    {
        if (options.Core >= 0)
        {
            Native.Cpu.PinCurrentThread(options.Core);
        }

        long interval = (long)(options.RevalidateInterval.TotalSeconds * Stopwatch.Frequency);
        long nextRevalidation = Stopwatch.GetTimestamp() + interval;
        revalidatedVersion = translator.Version;
        ChannelReader<Request> reader = inbox.Reader;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                bool busy = false;

                // Requests first, a bounded number, so that a flood of them cannot starve the upcalls.
                for (int i = 0; i < 256 && reader.TryRead(out Request work); i++)
                {
                    work.Run();
                    busy = true;
                }

                long now = Stopwatch.GetTimestamp();
                busy |= Upcalls.Poll(now) > 0;

                // A table change revalidates as soon as the requests queued with it are served, so no megaflow
                // forwards by an old rule for longer than that and a pass. One pass covers every change before it:
                // a burst of flow-mods costs one pass, not one each (each pass walks every megaflow and asks every
                // PMD for its dump). With no megaflow at all there is nothing to re-translate, so a change costs
                // nothing: ovs-ofctl add-flows, a flow-mod and a barrier at a time, waited on every pass otherwise.
                long version = translator.Version;
                if (now >= nextRevalidation || (version != revalidatedVersion && reader.Count == 0 && Upcalls.Ukeys.Count > 0))
                {
                    Revalidator.Run(now);
                    revalidatedVersion = version;
                    nextRevalidation = now + interval;
                }
                else if (version != revalidatedVersion && Upcalls.Ukeys.Count == 0)
                {
                    revalidatedVersion = version;
                    ChangesWithoutMegaflows++;
                }

                foreach (Action<long> tick in timers)
                {
                    tick(now);
                }

                if (!busy && Upcalls.Backlogged)
                {
                    // Misses wait for the PMD to answer commands: give the core up to whoever is ready (the PMD
                    // itself, if it shares this core) without the timer nap, which on a loaded machine can take
                    // many milliseconds to come back from.
                    Thread.Yield();
                }
                else if (!busy)
                {
                    // Upcall rings are polled, not signalled: a short nap bounds the first packet's delay.
                    wake.Wait(1);
                }
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref fault, e);
        }
        finally
        {
            stop.Cancel();
            var stopped = new InvalidOperationException("the ofproto thread has stopped", Fault);
            while (reader.TryRead(out Request left))
            {
                left.Fail(stopped);
            }
        }
    }
}
