using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Groups;

namespace FastPath.Ofproto.Groups;

/// <summary>
/// The OpenFlow group table with OpenFlow 1.3 group-mod semantics: add (refused if the id is taken), modify
/// (refused if there is no such group; the group keeps its counters and age, its buckets start new ones),
/// delete of one group or of all (OFPG_ALL), and Open vSwitch's add-or-modify. Owned by the ofproto thread.
/// </summary>
/// <remarks>
/// Groups may chain (a bucket's group action, a bucket's watch_group), so the table refuses what would make a
/// chain unusable: a loop, a chain deeper than
/// <see cref="MaxChainDepth"/>, and the delete of a group another one still refers to (OpenFlow's
/// CHAINED_GROUP; deleting all groups at once is always allowed). Go through
/// <see cref="Tables.OfPipeline.ApplyGroupMod"/>, which also removes the rules that use a deleted group and
/// sends the megaflows to revalidation. A reference to a group that does not exist is allowed, as in Open vSwitch.
/// </remarks>
public sealed class GroupTable
{
    /// <summary>Longest chain of groups (a group, the group its bucket sends to, and so on) a group-mod may make.</summary>
    public const int MaxChainDepth = 16;

    private readonly Dictionary<uint, OfGroup> groups = [];

    /// <summary>A table that holds at most <paramref name="maxGroups"/> groups of at most <paramref name="maxBuckets"/> buckets each.</summary>
    public GroupTable(int maxGroups = 65536, int maxBuckets = 1024)
    {
        MaxGroups = maxGroups;
        MaxBuckets = maxBuckets;
    }

    /// <summary>Most groups the table holds.</summary>
    public int MaxGroups { get; }

    /// <summary>Most buckets a group has.</summary>
    public int MaxBuckets { get; }

    /// <summary>Changes with every group added, modified or removed.</summary>
    public long Version { get; private set; }

    /// <summary>Number of groups.</summary>
    public int Count => groups.Count;

    /// <summary>Every group, by ascending id.</summary>
    public IEnumerable<OfGroup> Groups => groups.Values.OrderBy(g => g.GroupId);

    /// <summary>Whether group <paramref name="groupId"/> exists.</summary>
    public bool Contains(uint groupId) => groups.ContainsKey(groupId);

    /// <summary>Group <paramref name="groupId"/>, if it exists.</summary>
    public OfGroup? Find(uint groupId) => groups.GetValueOrDefault(groupId);

    /// <summary>How many groups' buckets send to or watch group <paramref name="groupId"/>.</summary>
    public int GroupReferences(uint groupId) => groups.Values.Count(g => g.GroupId != groupId && References(g.Description).Contains(groupId));

    /// <summary>
    /// Applies <paramref name="mod"/> at <paramref name="nowTicks"/> (Stopwatch ticks) and returns the ids of the
    /// groups it deleted (empty for an add or modify).
    /// </summary>
    /// <exception cref="GroupModException">The group-mod is refused; nothing changed.</exception>
    public IReadOnlyList<uint> Apply(GroupMod mod, long nowTicks)
    {
        GroupDescription g = mod.Group;
        switch (mod.Command)
        {
            case GroupModCommand.Add:
                if (groups.ContainsKey(g.GroupId))
                {
                    throw new GroupModException(GroupModError.GroupExists, $"group {g.GroupId} exists");
                }

                Install(g, nowTicks);
                return [];
            case GroupModCommand.Modify:
                if (g.GroupId <= GroupIds.Max && !groups.ContainsKey(g.GroupId))
                {
                    throw new GroupModException(GroupModError.UnknownGroup, $"no group {g.GroupId}");
                }

                Install(g, nowTicks);
                return [];
            case GroupModCommand.AddOrModify:
                Install(g, nowTicks);
                return [];
            case GroupModCommand.Delete:
                return Delete(g);
            default:
                throw new GroupModException(GroupModError.BadCommand, $"{mod.Command} is not a group-mod command");
        }
    }

    private void Install(GroupDescription g, long nowTicks)
    {
        GroupDescription numbered = Validate(g);
        if (groups.TryGetValue(g.GroupId, out OfGroup? existing))
        {
            existing.Replace(numbered);
        }
        else
        {
            if (groups.Count >= MaxGroups)
            {
                throw new GroupModException(GroupModError.OutOfGroups, $"the group table is full ({MaxGroups} groups)");
            }

            groups.Add(g.GroupId, new OfGroup(numbered, nowTicks));
        }

        Version++;
    }

    private List<uint> Delete(GroupDescription g)
    {
        if (g.Buckets.Count > 0)
        {
            // OpenFlow 1.3.5: a delete carries no buckets.
            throw new GroupModException(GroupModError.InvalidGroup, "a group delete has no buckets");
        }

        if (g.GroupId == GroupIds.All)
        {
            var all = groups.Keys.ToList();
            foreach (OfGroup group in groups.Values)
            {
                group.Removed = true;
            }

            groups.Clear();
            if (all.Count > 0)
            {
                Version++;
            }

            return all;
        }

        if (g.GroupId > GroupIds.Max)
        {
            throw new GroupModException(GroupModError.InvalidGroup, $"{g.GroupId} is a reserved group id");
        }

        if (!groups.TryGetValue(g.GroupId, out OfGroup? victim))
        {
            // Deleting a group that does not exist is no error.
            return [];
        }

        OfGroup? user = groups.Values.FirstOrDefault(o => o.GroupId != g.GroupId && References(o.Description).Contains(g.GroupId));
        if (user != null)
        {
            throw new GroupModException(GroupModError.ChainedGroup, $"group {user.GroupId} sends to or watches group {g.GroupId}");
        }

        groups.Remove(g.GroupId);
        victim.Removed = true;
        Version++;
        return [g.GroupId];
    }

    // Checks a group to add or to become, and gives every bucket without an id the lowest id left free.
    private GroupDescription Validate(GroupDescription g)
    {
        if (g.GroupId > GroupIds.Max)
        {
            throw new GroupModException(GroupModError.InvalidGroup, $"{g.GroupId} is a reserved group id");
        }

        if (!Enum.IsDefined(g.Type))
        {
            throw new GroupModException(GroupModError.BadType, $"{(int)g.Type} is not a group type");
        }

        if (g.Type == GroupType.Indirect && g.Buckets.Count != 1)
        {
            throw new GroupModException(GroupModError.InvalidGroup, $"an indirect group has exactly one bucket, not {g.Buckets.Count}");
        }

        if (g.Buckets.Count > MaxBuckets)
        {
            throw new GroupModException(GroupModError.OutOfBuckets, $"{g.Buckets.Count} buckets; a group has at most {MaxBuckets}");
        }

        if (g.Type != GroupType.Select && (g.SelectionMethod != null || g.Fields.Count > 0))
        {
            throw new GroupModException(GroupModError.InvalidGroup, "a selection method is only for select groups");
        }

        if (g.SelectionMethod is not (null or "hash" or "dp_hash") || (g.Fields.Count > 0 && g.SelectionMethod != "hash"))
        {
            throw new GroupModException(GroupModError.InvalidGroup, $"selection method {g.SelectionMethod} with {g.Fields.Count} fields is not supported");
        }

        var usedIds = new HashSet<uint>();
        foreach (GroupBucket b in g.Buckets)
        {
            if (b.BucketId != GroupBucket.NoBucketId && (b.BucketId > GroupBucket.MaxBucketId || !usedIds.Add(b.BucketId)))
            {
                throw new GroupModException(GroupModError.BadBucket, $"bucket id {b.BucketId} is out of range or given twice");
            }

            ValidateBucket(g, b);
        }

        uint nextId = 0;
        var numbered = new List<GroupBucket>(g.Buckets.Count);
        foreach (GroupBucket b in g.Buckets)
        {
            if (b.BucketId != GroupBucket.NoBucketId)
            {
                numbered.Add(b);
                continue;
            }

            while (usedIds.Contains(nextId))
            {
                nextId++;
            }

            usedIds.Add(nextId);
            numbered.Add(b with { BucketId = nextId });
        }

        GroupDescription result = g with { Buckets = numbered };
        CheckChains(result);
        return result;
    }

    private void ValidateBucket(GroupDescription g, GroupBucket b)
    {
        if (b.Weight != 0 && g.Type != GroupType.Select)
        {
            throw new GroupModException(GroupModError.InvalidGroup, "only select groups have bucket weights");
        }

        if (b.HasLiveness && g.Type is GroupType.All or GroupType.Indirect)
        {
            throw new GroupModException(GroupModError.WatchUnsupported, $"a bucket of an {(g.Type == GroupType.All ? "all" : "indirect")} group watches nothing");
        }

        if (!b.HasLiveness && g.Type == GroupType.FastFailover)
        {
            throw new GroupModException(GroupModError.InvalidGroup, "a fast-failover bucket needs a watch_port or watch_group");
        }

        if (b.WatchPort is > OfPorts.Max and not OfPorts.Any || b.WatchPort == 0)
        {
            throw new GroupModException(GroupModError.BadWatch, $"watch_port {OfPorts.Format(b.WatchPort)} is not a port");
        }

        // A group that does not exist (yet) may be watched or sent to, as Open vSwitch 3.1 allows: until it is
        // added, its watchers' buckets are dead and sending to it does nothing (xlate drops there).
        if (b.WatchGroup != GroupIds.Any && b.WatchGroup > GroupIds.Max)
        {
            throw new GroupModException(GroupModError.BadWatch, $"watch_group {b.WatchGroup} is not a group");
        }

        foreach (OfAction a in b.Actions)
        {
            switch (a)
            {
                case OutputAction { Port: 0 or OfPorts.Table or OfPorts.Any } o:
                    throw new GroupModException(GroupModError.BadBucket, $"a bucket cannot output to {OfPorts.Format(o.Port)}");
                case OutputAction o when o.Port > OfPorts.Max && o.Port < OfPorts.InPort:
                    throw new GroupModException(GroupModError.BadBucket, $"a bucket cannot output to {OfPorts.Format(o.Port)}");
                case GroupAction ga when ga.GroupId > GroupIds.Max:
                    throw new GroupModException(GroupModError.BadOutGroup, $"a bucket cannot send to the reserved group {ga.GroupId}");
            }
        }
    }

    // With the group as it would be, no chain may loop or run deeper than MaxChainDepth groups.
    private void CheckChains(GroupDescription candidate)
    {
        var depth = new Dictionary<uint, int>();
        var onPath = new HashSet<uint>();

        IEnumerable<uint> Edges(uint id) =>
            id == candidate.GroupId ? References(candidate) : groups.TryGetValue(id, out OfGroup? o) ? References(o.Description) : [];

        int Depth(uint id)
        {
            if (depth.TryGetValue(id, out int d))
            {
                return d;
            }

            if (!onPath.Add(id))
            {
                throw new GroupModException(GroupModError.Loop, $"group {candidate.GroupId} would reach group {id} again through its buckets");
            }

            int deepest = 0;
            foreach (uint next in Edges(id))
            {
                deepest = Math.Max(deepest, Depth(next));
            }

            onPath.Remove(id);
            depth[id] = deepest + 1;
            return deepest + 1;
        }

        Depth(candidate.GroupId);
        foreach (uint id in groups.Keys)
        {
            if (Depth(id) > MaxChainDepth)
            {
                throw new GroupModException(GroupModError.ChainingUnsupported, $"a chain of more than {MaxChainDepth} groups starts at group {id}");
            }
        }

        if (Depth(candidate.GroupId) > MaxChainDepth)
        {
            throw new GroupModException(GroupModError.ChainingUnsupported, $"a chain of more than {MaxChainDepth} groups starts at group {candidate.GroupId}");
        }
    }

    // The groups a group's buckets send to or watch.
    private static HashSet<uint> References(GroupDescription g)
    {
        var refs = new HashSet<uint>();
        foreach (GroupBucket b in g.Buckets)
        {
            if (b.WatchGroup != GroupIds.Any)
            {
                refs.Add(b.WatchGroup);
            }

            foreach (OfAction a in b.Actions)
            {
                if (a is GroupAction ga)
                {
                    refs.Add(ga.GroupId);
                }
            }
        }

        return refs;
    }
}
