using System.Diagnostics;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Trace;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Xlate;

// Open vSwitch's learn, as ofproto-dpif-xlate and learn.c run it: the learned rule is built from the packet,
// the megaflow matches every bit the learn read, and the rule goes into its table (a modify-strict that adds if
// none) only for a real packet or a trace with -generate.
public sealed partial class OfXlate
{
    /// <summary>Rules learn actions added or changed.</summary>
    public long Learned { get; private set; }

    /// <summary>Learn actions whose rule the table refused (bad prerequisites, a full table).</summary>
    public long LearnFailures { get; private set; }

    /// <summary>The rule <paramref name="learn"/> makes of a packet whose pipeline fields are <paramref name="flow"/>.</summary>
    public static FlowRule LearnedRule(LearnAction learn, in PipelineKey flow)
    {
        PipelineMatch match = PipelineMatch.Any;
        var actions = new List<OfAction>();
        foreach (LearnSpec spec in learn.Specs)
        {
            UInt128 ones = spec.Bits >= 128 ? UInt128.MaxValue : (UInt128.One << spec.Bits) - 1;
            UInt128 value = spec.Source is { } src ? (src.Read(flow) >> spec.SourceOffset) & ones : spec.Immediate & ones;
            switch (spec.Kind)
            {
                case LearnSpecKind.Match:
                    OfField dst = spec.Destination!;
                    (UInt128 v, UInt128 m) = Widen(dst, value << spec.DestinationOffset, ones << spec.DestinationOffset);
                    (UInt128 oldV, UInt128 oldM) = dst.Get(match);
                    dst.Set(ref match, (oldV & ~m) | (v & m), oldM | m);
                    break;
                case LearnSpecKind.Load:
                    (UInt128 lv, UInt128 lm) = Widen(spec.Destination!, value << spec.DestinationOffset, ones << spec.DestinationOffset);
                    actions.Add(new SetFieldAction(spec.Destination!, lv & lm, lm, IsLoad: true));
                    break;
                default:
                    // An OpenFlow 1.0 port: ordinary ones and IN_PORT, FLOOD, ALL, LOCAL (Open vSwitch's learn_execute).
                    if (value <= 0xffff)
                    {
                        uint port = (uint)value;
                        if (port < 0xff00 || port is 0xfff8 or 0xfffb or 0xfffc or 0xfffe)
                        {
                            actions.Add(new OutputAction(port >= 0xfff8 ? 0xffff0000u | port : port));
                        }
                    }

                    break;
            }
        }

        return new FlowRule
        {
            TableId = learn.Table,
            Priority = learn.Priority,
            Match = match,
            Instructions = new OfInstructionSet { ApplyActions = actions },
            IdleTimeout = learn.IdleTimeout,
            HardTimeout = learn.HardTimeout,
            Cookie = learn.Cookie,
            Flags = (learn.Flags & LearnFlags.SendFlowRem) != 0 ? FlowModFlags.SendFlowRem : FlowModFlags.None,
        };
    }

    // Open vSwitch's in_port is 16 bits: its reserved ports (0xfff8 and up) are the model's 32-bit ones.
    private static (UInt128 Value, UInt128 Mask) Widen(OfField field, UInt128 value, UInt128 mask)
    {
        if (field == OfFields.InPort && mask == 0xffff)
        {
            return (value >= 0xfff8 ? 0xffff0000 | value : value, field.FullMask);
        }

        return (value, mask);
    }

    private sealed partial class Context
    {
        private void Learn(LearnAction learn)
        {
            // The learned rule depends on every bit the learn reads from the packet.
            foreach (LearnSpec spec in learn.Specs)
            {
                if (spec.Source is { } src)
                {
                    UInt128 ones = spec.Bits >= 128 ? UInt128.MaxValue : (UInt128.One << spec.Bits) - 1;
                    PipelineKey mask = default;
                    src.WriteMasked(ref mask, ones << spec.SourceOffset, ones << spec.SourceOffset);
                    UnWildcard(src.KeyOffset, mask.ReadOnlyBytes.Slice(src.KeyOffset, src.KeyLength));
                }
            }

            if (!MayLearn)
            {
                // result_dst is left as it is too (Open vSwitch's xlate_learn_action skips it all).
                Trace?.Note("suppressing side effects, so learn action ignored");
                return;
            }

            FlowRule rule = LearnedRule(learn, flow);
            Trace?.Add("     -> " + Describe(rule));
            bool learned = LearnRule(learn, rule);
            WriteLearnResult(learn, learned);
            if (!learned)
            {
                Trace?.Add("     -> Limit exceeded, learn failed");
            }
        }

        // result_dst: 1 when the rule is there as learned, 0 when the limit kept it out (Open vSwitch's nxm_reg_load
        // of the learn's success).
        private void WriteLearnResult(LearnAction learn, bool learned)
        {
            if (learn.ResultDestination is { } result)
            {
                UInt128 bit = UInt128.One << learn.ResultOffset;
                Write(result, learned ? bit : 0, bit);
                Trace?.Add($"     -> {ActionText.Subfield(result, learn.ResultOffset, 1)} is now {(learned ? "0x1" : "0")}");
            }
        }

        // Adds or refreshes the learned rule; false when limit= refused it.
        private bool LearnRule(LearnAction learn, FlowRule rule)
        {
            var mod = new FlowMod(FlowModCommand.ModifyStrict, rule, ModifyAddsIfNone: true, ModifyCookie: true);
            try
            {
                // A rule that is already there as learned stays as it is (Open vSwitch refreshes it): changing
                // nothing keeps every megaflow valid.
                List<OfRule> existing = x.pipeline.Select(mod, strict: true);
                if (existing.Count == 1 && existing[0].Spec.Instructions.Equals(rule.Instructions) && existing[0].Spec.Cookie == rule.Cookie)
                {
                    return true;
                }

                if (learn.Limit != 0 && AtLimit(learn, rule))
                {
                    return false;
                }

                if (existing.Count == 1 && existing[0].Spec.Cookie != rule.Cookie)
                {
                    // Open vSwitch's learn sets the cookie too, which a modify-strict would keep.
                    x.pipeline.Apply(new FlowMod(FlowModCommand.DeleteStrict, rule), Stopwatch.GetTimestamp());
                }

                x.pipeline.Apply(mod, Stopwatch.GetTimestamp());
                x.Learned++;
                return true;
            }
            catch (FlowModException e)
            {
                x.LearnFailures++;
                Trace?.Add($"     >>>> LEARN action execution failed ({e.Message}). <<<<");
                return true;
            }
        }

        // limit=: the learned rule's table already holds that many rules with its cookie (Open vSwitch's
        // ofproto_flow_mod_learn counts them whatever their match, learned or not).
        private bool AtLimit(LearnAction learn, FlowRule rule)
        {
            var sameCookie = new FlowMod(
                FlowModCommand.Modify,
                new FlowRule { TableId = rule.TableId, Match = PipelineMatch.Any, Cookie = rule.Cookie, CookieMask = ulong.MaxValue });
            return x.pipeline.Select(sameCookie, strict: false).Count >= learn.Limit;
        }

        // Open vSwitch's trace line for a learned rule: table=N MATCH priority=P [cookie=C] [idle=I] [hard=H] [send_flow_rem] actions=A.
        private static string Describe(FlowRule rule)
        {
            string match = OvsFlowFormat.Match(rule.Match.Key, rule.Match.Mask, megaflow: false);
            string text = $"table={rule.TableId} {match}{(match.Length > 0 ? " " : "")}priority={rule.Priority}";
            if (rule.Cookie != 0)
            {
                text += $" cookie=0x{rule.Cookie:x}";
            }

            if (rule.IdleTimeout != 0)
            {
                text += $" idle={rule.IdleTimeout}";
            }

            if (rule.HardTimeout != 0)
            {
                text += $" hard={rule.HardTimeout}";
            }

            if ((rule.Flags & FlowModFlags.SendFlowRem) != 0)
            {
                text += " send_flow_rem";
            }

            PipelineMatch state = rule.Match;
            IReadOnlyList<OfAction> actions = rule.Instructions.ApplyActions;
            return text + " actions=" + (actions.Count == 0 ? "drop" : string.Join(",", actions.Select(a => ActionText.FormatAction(a, ref state, OpenFlowVersion.OF10))));
        }
    }
}
