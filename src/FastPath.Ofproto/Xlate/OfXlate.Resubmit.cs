using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Xlate;

// Open vSwitch's resubmit and output:FIELD, as ofproto-dpif-xlate runs them.
public sealed partial class OfXlate
{
    private sealed partial class Context
    {
        // Nesting that counts against Open vSwitch's depth limit (resubmits to the same or an earlier table), and
        // every resubmit of the translation.
        private int depth;
        private int resubmits;

        private void Resubmit(ResubmitAction r, OfRule rule)
        {
            if (depth >= ResubmitAction.MaxDepth)
            {
                Fail($"over max translation depth {ResubmitAction.MaxDepth}");
            }

            if (resubmits >= ResubmitAction.MaxResubmits)
            {
                Fail($"over {ResubmitAction.MaxResubmits} resubmit actions");
            }

            // A packet-out's actions are in no table: they resubmit from table 0.
            byte current = rule.TableId == 0xff ? (byte)0 : rule.TableId;
            byte table = r.Table == ResubmitAction.CurrentTable ? current : r.Table;
            bool deepens = table <= current;
            resubmits++;
            if (deepens)
            {
                depth++;
            }

            Trace?.BeginResubmit();
            RunChain(table, r.InPort);
            Trace?.EndResubmit();
            if (deepens)
            {
                depth--;
            }
        }

        private void Fail(string why)
        {
            Trace?.Add($"     >>>> {why} <<<<");
            throw new XlateException(why);
        }

        private void OutputReg(OutputRegAction o, OfRule rule)
        {
            UInt128 ones = o.Bits >= 128 ? UInt128.MaxValue : (UInt128.One << o.Bits) - 1;

            // The port comes from the packet where no action wrote it: the megaflow matches those bits.
            PipelineKey sourceMask = default;
            o.Source.WriteMasked(ref sourceMask, ones << o.Offset, ones << o.Offset);
            UnWildcard(o.Source.KeyOffset, sourceMask.ReadOnlyBytes.Slice(o.Source.KeyOffset, o.Source.KeyLength));
            UInt128 port = (o.Source.Read(flow) >> o.Offset) & ones;
            if (port > 0xffff)
            {
                Trace?.Note($"output port {port} is out of range");
                return;
            }

            // Open vSwitch reads an OpenFlow 1.0 port: 0xfff8 and up are the reserved ports.
            uint p = (uint)port >= 0xfff8 ? 0xffff0000u | (uint)port : (uint)port;
            Trace?.Add($"     -> output port is {OfPorts.Format(p)}");
            Output(new OutputAction(p, p == OfPorts.Controller ? o.MaxLen : OutputAction.NoBuffer), rule);
        }
    }
}
