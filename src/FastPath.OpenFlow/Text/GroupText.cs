using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Instructions;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// Groups in <c>ovs-ofctl</c> syntax: parsing <c>add-group</c> lines (and <c>add-groups</c> files), and printing
/// a group the way <c>ovs-ofctl dump-groups</c> does for OpenFlow 1.3 (no bucket ids, no selection method: that
/// version cannot carry them) or OpenFlow 1.5.
/// </summary>
/// <remarks>
/// A line is <c>group_id=N,type=all|select|indirect|ff|fast_failover</c>, optionally a select group's
/// <c>selection_method=hash|dp_hash</c>, <c>selection_method_param=N</c> and <c>fields(f1,f2=MASK)</c>, then
/// buckets. Each bucket starts at <c>bucket=</c> and runs to the next: <c>bucket_id:N</c>, <c>weight:N</c>,
/// <c>watch_port:N</c>, <c>watch_group:N</c> (with <c>:</c> or <c>=</c>), and actions, either after
/// <c>actions=</c> or simply listed (<c>bucket=output:1</c>). Checks as ovs-ofctl does: weights only in select
/// groups, at most one bucket in an indirect group, a watch in every fast-failover bucket.
/// </remarks>
public static class GroupText
{
    /// <summary>Parses one group (an <c>add-group</c> or <c>mod-group</c> argument). Throws <see cref="FlowSyntaxException"/>.</summary>
    public static GroupDescription Parse(string line)
    {
        string text = line.Trim();
        int firstBucket = text.IndexOf("bucket=", StringComparison.Ordinal);
        string head = firstBucket < 0 ? text : text[..firstBucket];
        uint? id = null;
        GroupType? type = null;
        string? method = null;
        ulong param = 0;
        var fields = new List<(OfField, UInt128)>();
        foreach (string token in TopLevelSplit.Split(head, line, whitespaceSeparates: true))
        {
            var (key, value) = KeyValue(token);
            switch (key)
            {
                case "group_id":
                    id = ParseGroupId(Required(key, value));
                    break;
                case "type":
                    type = Required(key, value) switch
                    {
                        "all" => GroupType.All,
                        "select" => GroupType.Select,
                        "indirect" => GroupType.Indirect,
                        "ff" or "fast_failover" => GroupType.FastFailover,
                        string v => throw new FlowSyntaxException($"invalid group type {v}"),
                    };
                    break;
                case "selection_method":
                    method = Required(key, value);
                    if (method is not ("hash" or "dp_hash"))
                    {
                        throw new FlowSyntaxException($"{method}: unknown selection method (hash or dp_hash)");
                    }

                    break;
                case "selection_method_param":
                    param = FieldText.ParseInteger(Required(key, value), 64, key);
                    break;
                case "fields":
                    fields.AddRange(ParseFields(Required(key, value)));
                    break;
                default:
                    throw new FlowSyntaxException($"unknown keyword {key}");
            }
        }

        if (id is not uint groupId)
        {
            throw new FlowSyntaxException("must specify a group_id");
        }

        if (type is not GroupType groupType)
        {
            throw new FlowSyntaxException("must specify a type");
        }

        if (fields.Count > 0 && method != "hash")
        {
            throw new FlowSyntaxException("fields may only be specified with \"selection_method=hash\"");
        }

        if (method is null && param != 0)
        {
            throw new FlowSyntaxException("selection_method_param is only allowed with \"selection_method\"");
        }

        if (method is not null && groupType != GroupType.Select)
        {
            throw new FlowSyntaxException("a selection method is only for select groups");
        }

        var buckets = new List<GroupBucket>();
        if (firstBucket >= 0)
        {
            string rest = text[firstBucket..];
            int at = 0;
            while (at < rest.Length)
            {
                int start = at + "bucket=".Length;
                int next = rest.IndexOf("bucket=", start, StringComparison.Ordinal);
                string body = next < 0 ? rest[start..] : rest[start..next];
                buckets.Add(ParseBucket(body, groupType));
                at = next < 0 ? rest.Length : next;
            }
        }

        if (groupType == GroupType.Indirect && buckets.Count > 1)
        {
            throw new FlowSyntaxException("Indirect groups can have at most one bucket.");
        }

        return new GroupDescription
        {
            GroupId = groupId,
            Type = groupType,
            Buckets = buckets,
            SelectionMethod = method,
            SelectionMethodParam = param,
            Fields = fields,
        };
    }

    /// <summary>
    /// Parses an <c>add-groups</c> file: one group a line, '#' comments and blank lines skipped. Errors name the line.
    /// </summary>
    public static List<GroupDescription> ParseFile(TextReader reader)
    {
        var groups = new List<GroupDescription>();
        int lineNo = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNo++;
            int hash = raw.IndexOf('#');
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                groups.Add(Parse(line));
            }
            catch (FlowSyntaxException e)
            {
                throw new FlowSyntaxException($"line {lineNo}: {e.Message}");
            }
        }

        return groups;
    }

    /// <summary>
    /// Parses the group id of a <c>del-groups</c> filter: <c>group_id=N</c> or <c>group_id=all</c> (and the empty
    /// filter, which means all). Throws <see cref="FlowSyntaxException"/>.
    /// </summary>
    public static uint ParseDeleteFilter(string text)
    {
        string t = text.Trim();
        if (t.Length == 0)
        {
            return GroupIds.All;
        }

        uint id = GroupIds.All;
        foreach (string token in TopLevelSplit.Split(t, text, whitespaceSeparates: true))
        {
            var (key, value) = KeyValue(token);
            if (key != "group_id")
            {
                throw new FlowSyntaxException($"{key}: a group delete takes only group_id");
            }

            id = ParseGroupId(Required(key, value));
        }

        return id;
    }

    /// <summary>A group as <c>ovs-ofctl -O VERSION dump-groups</c> prints one (without the leading space).</summary>
    public static string Format(GroupDescription group, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        bool of15 = version is OpenFlowVersion.OF15 or OpenFlowVersion.OF10;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"group_id={group.GroupId},type={TypeName(group.Type)}");

        // OpenFlow 1.3's group description has no properties: the selection method is not there to print.
        if (of15 && group.SelectionMethod is string method)
        {
            s.Append(CultureInfo.InvariantCulture, $",selection_method={method}");
            if (group.SelectionMethodParam != 0)
            {
                s.Append(CultureInfo.InvariantCulture, $",selection_method_param={group.SelectionMethodParam}");
            }

            if (group.Fields.Count == 1)
            {
                s.Append(",fields=").Append(FormatField(group.Fields[0]));
            }
            else if (group.Fields.Count > 1)
            {
                s.Append(",fields(").Append(string.Join(",", group.Fields.Select(FormatField))).Append(')');
            }
        }

        for (int i = 0; i < group.Buckets.Count; i++)
        {
            GroupBucket b = group.Buckets[i];
            s.Append(",bucket=");
            if (of15)
            {
                uint bucketId = b.BucketId == GroupBucket.NoBucketId ? (uint)i : b.BucketId;
                s.Append(CultureInfo.InvariantCulture, $"bucket_id:{bucketId},");
            }

            if (b.Weight != (group.Type == GroupType.Select ? 1 : 0))
            {
                s.Append(CultureInfo.InvariantCulture, $"weight:{b.Weight},");
            }

            if (b.WatchPort != OfPorts.Any)
            {
                s.Append("watch_port:").Append(OfPorts.Format(b.WatchPort)).Append(',');
            }

            if (b.WatchGroup != GroupIds.Any)
            {
                s.Append(CultureInfo.InvariantCulture, $"watch_group:{b.WatchGroup},");
            }

            s.Append("actions=").Append(FormatActions(b.Actions, version));
        }

        return s.ToString();
    }

    /// <summary>A bucket's actions as ovs-ofctl prints them: with no match to tell TCP from UDP, mod_tp_src and mod_tp_dst stay as written.</summary>
    public static string FormatActions(IReadOnlyList<OfAction> actions, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        if (actions.Count == 0)
        {
            return "drop";
        }

        PipelineMatch state = default;
        var parts = new List<string>(actions.Count);
        foreach (OfAction a in actions)
        {
            parts.Add(a switch
            {
                SetFieldAction { Field.Name: "tp_src", IsLoad: false, IsFullWidth: true } sf => $"mod_tp_src:{(ulong)sf.Value}",
                SetFieldAction { Field.Name: "tp_dst", IsLoad: false, IsFullWidth: true } sf => $"mod_tp_dst:{(ulong)sf.Value}",
                _ => ActionText.FormatAction(a, ref state, version),
            });
        }

        return string.Join(",", parts);
    }

    /// <summary>The type as dump-groups names it.</summary>
    public static string TypeName(GroupType type) => type switch
    {
        GroupType.All => "all",
        GroupType.Select => "select",
        GroupType.Indirect => "indirect",
        GroupType.FastFailover => "ff",
        _ => "unknown",
    };

    private static GroupBucket ParseBucket(string body, GroupType type)
    {
        var bucket = new GroupBucket { Weight = (ushort)(type == GroupType.Select ? 1 : 0) };
        var actions = new List<string>();
        bool sawActions = false;
        foreach (string token in TopLevelSplit.Split(body, body, whitespaceSeparates: true))
        {
            var (key, value) = KeyValue(token);
            switch (key)
            {
                case "weight":
                    bucket = bucket with { Weight = (ushort)FieldText.ParseInteger(Required(key, value), 16, key) };
                    break;
                case "watch_port":
                    uint port = OfPorts.Parse(Required(key, value), key);
                    if (port > OfPorts.Max && port != OfPorts.Any)
                    {
                        throw new FlowSyntaxException($"{value}: invalid watch_port");
                    }

                    bucket = bucket with { WatchPort = port };
                    break;
                case "watch_group":
                    ulong wg = FieldText.ParseInteger(Required(key, value), 32, key);
                    bucket = bucket with
                    {
                        WatchGroup = wg <= GroupIds.Max || wg == GroupIds.Any ? (uint)wg : throw new FlowSyntaxException($"invalid watch_group id {wg}"),
                    };
                    break;
                case "bucket_id":
                    ulong bid = FieldText.ParseInteger(Required(key, value), 32, key);
                    bucket = bucket with
                    {
                        BucketId = bid <= GroupBucket.MaxBucketId ? (uint)bid : throw new FlowSyntaxException($"invalid bucket_id id {bid}"),
                    };
                    break;
                case "actions" or "action":
                    sawActions = true;
                    if (value is { Length: > 0 })
                    {
                        actions.Add(value);
                    }

                    break;
                default:
                    sawActions = true;
                    actions.Add(token);
                    break;
            }
        }

        if (!sawActions)
        {
            throw new FlowSyntaxException("bucket must specify actions");
        }

        if (type == GroupType.FastFailover && !bucket.HasLiveness)
        {
            throw new FlowSyntaxException("fast failover bucket requires watch_port or watch_group");
        }

        if (type != GroupType.Select && bucket.Weight != 0)
        {
            throw new FlowSyntaxException("Only select groups can have bucket weights.");
        }

        OfInstructionSet set = ActionText.Parse(string.Join(",", actions));
        if (set.ClearActions || set.WriteActions != null || set.WriteMetadata != null || set.GotoTable != null || set.Meter != null)
        {
            throw new FlowSyntaxException($"{body}: a bucket holds actions, not instructions");
        }

        return bucket with { Actions = set.ApplyActions };
    }

    private static IEnumerable<(OfField, UInt128)> ParseFields(string text)
    {
        var seen = new HashSet<OfField>();
        foreach (string token in TopLevelSplit.Split(text, text, whitespaceSeparates: true))
        {
            var (name, value) = KeyValue(token);
            OfField field = OfFields.Find(name) ?? throw new FlowSyntaxException($"{token}: unknown field {name}");
            if (!seen.Add(field))
            {
                throw new FlowSyntaxException($"{name}: duplicate field");
            }

            UInt128 mask = field.FullMask;
            if (value is { Length: > 0 })
            {
                (mask, _) = FieldText.ParseValue(field, value);
                if (mask == 0)
                {
                    throw new FlowSyntaxException($"{token}: values are wildcards here and must not be all-zeros");
                }
            }

            yield return (field, mask);
        }
    }

    private static string FormatField((OfField Field, UInt128 Mask) f) =>
        f.Mask == f.Field.FullMask ? f.Field.Name : $"{f.Field.Name}={FieldText.FormatValue(f.Field, f.Mask)}";

    private static uint ParseGroupId(string value)
    {
        if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase))
        {
            return GroupIds.All;
        }

        ulong id = FieldText.ParseInteger(value, 32, "group_id");
        return id <= GroupIds.Max ? (uint)id : throw new FlowSyntaxException($"invalid group id {id}");
    }

    private static string Required(string key, string? value) =>
        value is { Length: > 0 } ? value : throw new FlowSyntaxException($"{key}: needs a value");

    // Open vSwitch's key-value syntax: "key=value", "key:value" or "key(value)"; a bare word has no value.
    private static (string Key, string? Value) KeyValue(string token)
    {
        int i = token.IndexOfAny(['=', ':', '(']);
        if (i < 0)
        {
            return (token.ToLowerInvariant(), null);
        }

        string key = token[..i].Trim().ToLowerInvariant();
        if (token[i] == '(')
        {
            return token[^1] == ')' ? (key, token[(i + 1)..^1]) : throw new FlowSyntaxException($"{token}: unbalanced parentheses");
        }

        return (key, token[(i + 1)..].Trim());
    }

}
