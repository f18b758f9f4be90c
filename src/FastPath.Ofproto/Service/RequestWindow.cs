namespace FastPath.Ofproto.Service;

/// <summary>
/// How many of one connection's requests wait for the ofproto thread, capped: a connection at the cap reads nothing
/// more until one is served. Open vSwitch serves at most 50 messages of a connection per pass, round-robin, so no
/// peer's backlog delays the others by more than that; the shared inbox alone would let one peer queue thousands.
/// </summary>
internal sealed class RequestWindow
{
    /// <summary>Requests of one connection posted and not yet served, at most (Open vSwitch: 50 a pass).</summary>
    public const int Max = 50;

    private readonly Lock gate = new();
    private int inFlight;
    private TaskCompletionSource? room;

    /// <summary>Requests posted and not yet served.</summary>
    public int InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    /// <summary>Counts one more request in; null if there is room for another after it, else a task completing when there is.</summary>
    public Task? Enter()
    {
        lock (gate)
        {
            inFlight++;
            if (inFlight < Max)
            {
                return null;
            }

            room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return room.Task;
        }
    }

    /// <summary>Counts one request out (served, skipped or failed).</summary>
    public void Exit()
    {
        TaskCompletionSource? opened = null;
        lock (gate)
        {
            inFlight--;
            if (inFlight < Max && room is not null)
            {
                opened = room;
                room = null;
            }
        }

        opened?.TrySetResult();
    }
}
