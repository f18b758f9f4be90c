using System.Threading.Channels;
using FastPath.Daemon.Ovsdb;
using FastPath.Ovsdb.Vswitch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon.Switch;

/// <summary>
/// The daemon's configuration loop: replicates Open vSwitch's database (a private ovsdb-server when no address was
/// given), applies each change to the running switch, writes back what ovs-vswitchd writes (cur_cfg last, so
/// <c>ovs-vsctl</c> without <c>--no-wait</c> returns once the change is in effect), and refreshes statistics
/// every few seconds. On stop, bridges are torn down: PMDs stop, transmit queues drain, XDP programs detach.
/// </summary>
public sealed class SwitchService(DaemonOptions options, SwitchReconciler reconciler, ILogger<SwitchService> logger) : BackgroundService
{
    private readonly Channel<VswitchConfig> changes = Channel.CreateBounded<VswitchConfig>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly TaskCompletionSource firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PrivateOvsdbServer? privateServer;
    private Action<VswitchWriteBatch>? writeStatistics;
    private volatile bool stopped;

    /// <summary>Completes once the first configuration read from the database is applied and acknowledged (cur_cfg written).</summary>
    public Task FirstConfigurationApplied => firstApplied.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string target = options.Database ?? await StartPrivateServerAsync(stoppingToken).ConfigureAwait(false);
        await using VswitchDatabase db = VswitchDatabase.Create(target);

        // Only the newest configuration matters: a burst of ovs-vsctl changes is applied once, at its end. A change
        // and the statistics timer each wake the loop; waiting on one semaphore (rather than a timed-out read of
        // the channel) costs no cancellation source and no exception per statistics tick.
        using var wake = new SemaphoreSlim(0);
        int statisticsDue = 0;
        db.ConfigChanged += c =>
        {
            changes.Writer.TryWrite(c);
            Signal();
        };
        using var statisticsTimer = new Timer(
            _ =>
            {
                Volatile.Write(ref statisticsDue, 1);
                Signal();
            },
            null,
            options.StatisticsInterval,
            options.StatisticsInterval);
        db.Start();
        logger.LogInformation("connecting to database {Target}", target);

        void Signal()
        {
            if (!stopped)
            {
                try
                {
                    wake.Release();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await wake.WaitAsync(stoppingToken).ConfigureAwait(false);
                if (changes.Reader.TryRead(out VswitchConfig? config))
                {
                    await ApplyAsync(db, config).ConfigureAwait(false);
                }

                if (Interlocked.Exchange(ref statisticsDue, 0) != 0)
                {
                    await WriteAsync(db, writeStatistics ??= reconciler.WriteStatistics, "statistics").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // A change or a tick that comes while stopping finds the semaphore disposed: nothing waits for it then.
            stopped = true;
            await reconciler.DisposeAsync().ConfigureAwait(false);
            if (privateServer != null)
            {
                privateServer.Stop();
            }
        }
    }

    private async Task ApplyAsync(VswitchDatabase db, VswitchConfig config)
    {
        // Rows may be new, or the database itself (a new connection): the next refresh writes every statistic.
        reconciler.ForgetWrittenStatistics();
        try
        {
            Coverage.DaemonCoverage.BridgeReconfigure.Add(1);
            await reconciler.ApplyAsync(config).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One bad row must not take the switch down: log it and still acknowledge the configuration.
            logger.LogError(e, "applying the configuration failed");
        }

        await WriteAsync(db, b => reconciler.WriteStatus(b, config), "status").ConfigureAwait(false);
        firstApplied.TrySetResult();
    }

    private async Task WriteAsync(VswitchDatabase db, Action<VswitchWriteBatch> fill, string what)
    {
        VswitchWriteBatch batch = db.BeginWrite();
        fill(batch);
        if (batch.IsEmpty)
        {
            Coverage.DaemonCoverage.TxnUnchanged.Add(1);
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await batch.CommitAsync(timeout.Token).ConfigureAwait(false);
            Coverage.DaemonCoverage.TxnSuccess.Add(1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Coverage.DaemonCoverage.TxnError.Add(1);
            reconciler.ForgetWrittenStatistics();

            // The database may be restarting: the replica reconnects and the next change or tick writes again.
            logger.LogWarning("writing {What} to the database failed: {Error}", what, e.Message);
        }
    }

    private async Task<string> StartPrivateServerAsync(CancellationToken cancel)
    {
        privateServer = new PrivateOvsdbServer(options.RunDir, logger, options.DbFile);
        await privateServer.StartAsync(cancel).ConfigureAwait(false);
        return privateServer.Remote;
    }
}
