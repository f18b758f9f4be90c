namespace FastPath.Ofproto.Tests.Interop;

/// <summary>The masks and record sorting of <see cref="OfctlMasker"/>, on text Open vSwitch 3.1's ovs-ofctl printed.</summary>
public class OfctlMaskerTests
{
    [Fact]
    public void FlowStatisticsLoseTimesAndCountersButKeepEverythingElse()
    {
        const string Dump = " cookie=0x123, duration=3.744s, table=0, n_packets=7, n_bytes=420, idle_timeout=60, hard_timeout=120, idle_age=3, hard_age=1, priority=8,arp,arp_tpa=10.0.0.1 actions=output:2";
        Assert.Equal(
            " cookie=0x123, duration=#s, table=0, n_packets=#, n_bytes=#, idle_timeout=60, hard_timeout=120, idle_age=#, priority=8,arp,arp_tpa=10.0.0.1 actions=output:2",
            OfctlMasker.Mask(Dump));
        Assert.NotEqual(OfctlMasker.Mask(Dump), OfctlMasker.Mask(Dump.Replace("idle_timeout=60", "idle_timeout=61", StringComparison.Ordinal)));
        Assert.NotEqual(OfctlMasker.Mask(Dump), OfctlMasker.Mask(Dump.Replace("cookie=0x123", "cookie=0x124", StringComparison.Ordinal)));
    }

    [Fact]
    public void PortGroupMeterQueueAndTableCountersAreMaskedKeptOrNot()
    {
        Assert.Equal(
            "  port  2: rx pkts=#, bytes=#, drop=#, errs=#, frame=#, over=#, crc=#\n           tx pkts=#, bytes=#, drop=#, errs=#, coll=#\n           duration=#s",
            OfctlMasker.Mask("  port  2: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?\n           tx pkts=1, bytes=46, drop=3, errs=?, coll=?\n           duration=19.137s"));
        Assert.Equal(
            " group_id=1,duration=#s,ref_count=2,packet_count=#,byte_count=#,bucket0:packet_count=#,byte_count=#",
            OfctlMasker.Mask(" group_id=1,duration=1.984s,ref_count=2,packet_count=5,byte_count=300,bucket0:packet_count=5,byte_count=300"));
        Assert.Equal(
            "meter:1 flow_count:1 packet_in_count:# byte_in_count:# duration:#s bands:\n0: packet_count:# byte_count:#",
            OfctlMasker.Mask("meter:1 flow_count:1 packet_in_count:4 byte_in_count:200 duration:0.478s bands:\n0: packet_count:1 byte_count:50"));
        Assert.Equal("    active=32, lookup=#, matched=#", OfctlMasker.Mask("    active=32, lookup=10, matched=9"));
        Assert.Equal("OFPST_AGGREGATE reply (OF1.3) (xid=0x2): packet_count=# byte_count=# flow_count=36",
            OfctlMasker.Mask("OFPST_AGGREGATE reply (OF1.3) (xid=0x2): packet_count=0 byte_count=0 flow_count=36"));
        Assert.Equal("  port 1 queue 0: bytes=#, pkts=#, errors=#, duration=?", OfctlMasker.Mask("  port 1 queue 0: bytes=?, pkts=?, errors=2, duration=?"));

        // A port that keeps a counter and one that does not (all-ones, printed ?) compare alike; the field still counts.
        Assert.Equal(OfctlMasker.Mask("  port  1: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0"),
            OfctlMasker.Mask("  port  1: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?"));
        Assert.NotEqual(OfctlMasker.Mask("  port  1: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0"),
            OfctlMasker.Mask("  port  1: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0"));
    }

    [Fact]
    public void LogTimestampsAreMaskedAndAddressesOnlyWhenAsked()
    {
        Assert.Equal("#|#|ofp_actions|WARN|invalid instruction ordering",
            OfctlMasker.Mask("2026-11-25T18:27:34Z|00001|ofp_actions|WARN|invalid instruction ordering"));
        const string Show = "OFPT_FEATURES_REPLY (xid=0x2): dpid:0000aa55aa550001\n 1(p1): addr:aa:55:aa:55:00:10";
        Assert.Equal(Show, OfctlMasker.Mask(Show));
        Assert.Equal("OFPT_FEATURES_REPLY (xid=0x2): dpid:#\n 1(p1): addr:#", OfctlMasker.Mask(Show, OfctlMasks.HardwareAddresses));
    }

    [Fact]
    public void DiffFlowsLinesAndPerPortQueueRepliesAreUnorderedRecords()
    {
        string a = "-priority=12,in_port=3 actions=output:2\n+priority=7,icmp actions=drop\n-table=3 priority=5 actions=drop";
        string b = "-table=3 priority=5 actions=drop\n-priority=12,in_port=3 actions=output:2\n+priority=7,icmp actions=drop";
        Assert.Equal(OfctlMasker.Canonical(a), OfctlMasker.Canonical(b));
        Assert.NotEqual(OfctlMasker.Canonical(a), OfctlMasker.Canonical(b.Replace("+priority=7", "-priority=7", StringComparison.Ordinal)));

        string q1 = "OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x4): port=4\nqueue 0:\nOFPT_QUEUE_GET_CONFIG_REPLY (xid=0x5): port=1\nqueue 0:";
        string q2 = "OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x4): port=1\nqueue 0:\nOFPT_QUEUE_GET_CONFIG_REPLY (xid=0x5): port=4\nqueue 0:";
        Assert.Equal(OfctlMasker.Canonical(q1), OfctlMasker.Canonical(q2));
        Assert.NotEqual(OfctlMasker.Canonical(q1), OfctlMasker.Canonical(q2.Replace("port=4\nqueue 0:", "port=4\nqueue 1:", StringComparison.Ordinal)));
        Assert.Equal("OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=#): port=ANY", OfctlMasker.Mask("OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=0x2): port=ANY"));
    }

    [Fact]
    public void TheSwitchDescriptionIsMaskedOnlyWhenAskedAndKeepsItsFieldNames()
    {
        const string Desc = "OFPST_DESC reply (xid=0x2):\nManufacturer: Nicira, Inc.\nHardware: Open vSwitch\nSoftware: 3.1.0\nSerial Num: None\nDP Description: None";
        Assert.Equal(Desc, OfctlMasker.Mask(Desc));
        Assert.Equal("OFPST_DESC reply (xid=0x2):\nManufacturer: #\nHardware: #\nSoftware: #\nSerial Num: #\nDP Description: #",
            OfctlMasker.Mask(Desc, OfctlMasks.SwitchDescription));
        Assert.NotEqual(OfctlMasker.Mask(Desc, OfctlMasks.SwitchDescription), OfctlMasker.Mask(Desc.Replace("Serial Num: None\n", "", StringComparison.Ordinal), OfctlMasks.SwitchDescription));
    }

    [Fact]
    public void PortsSortWithTheirContinuationLinesSoAStateOnTheWrongPortStillDiffers()
    {
        string Show(string state1, string state2, bool swapped)
        {
            string p1 = $" 1(p1): addr:aa:55:aa:55:00:10\n     config:     0\n     state:      {state1}";
            string p2 = $" 2(p2): addr:aa:55:aa:55:00:0e\n     config:     0\n     state:      {state2}";
            return "OFPT_FEATURES_REPLY (xid=0x2): dpid:0000aa55aa550001\nn_tables:254, n_buffers:0\n"
                + (swapped ? p2 + "\n" + p1 : p1 + "\n" + p2) + "\nOFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n";
        }

        Assert.Equal(OfctlMasker.Canonical(Show("LINK_DOWN", "0", false)), OfctlMasker.Canonical(Show("LINK_DOWN", "0", true)));
        Assert.NotEqual(OfctlMasker.Canonical(Show("LINK_DOWN", "0", false)), OfctlMasker.Canonical(Show("0", "LINK_DOWN", false)));
        Assert.EndsWith("OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n", OfctlMasker.Canonical(Show("0", "0", true)), StringComparison.Ordinal);
    }

    [Fact]
    public void MetersSortAsParagraphsWhateverRecordEndsTheRun()
    {
        const string M1 = "meter=1 kbps burst stats bands=\ntype=drop rate=1000 burst_size=100";
        const string M2 = "meter=2 pktps bands=\ntype=drop rate=20";
        const string Header = "OFPST_METER_CONFIG reply (OF1.3) (xid=0x2):\n";
        Assert.Equal(OfctlMasker.Canonical(Header + M1 + "\n\n" + M2 + "\n"), OfctlMasker.Canonical(Header + M2 + "\n\n" + M1 + "\n"));
        Assert.NotEqual(OfctlMasker.Canonical(Header + M1 + "\n\n" + M2 + "\n"), OfctlMasker.Canonical(Header + M1.Replace("1000", "999", StringComparison.Ordinal) + "\n\n" + M2 + "\n"));

        // The virtual meters are records of their own too (Open vSwitch lists them among the others in hash order).
        const string Controller = "meter=controller pktps bands=\ntype=drop rate=100";
        const string SlowPath = "meter=slowpath pktps burst bands=\ntype=drop rate=10 burst_size=20";
        Assert.Equal(
            OfctlMasker.Canonical(Header + Controller + "\n\n" + M1 + "\n\n" + SlowPath + "\n"),
            OfctlMasker.Canonical(Header + M1 + "\n\n" + SlowPath + "\n\n" + Controller + "\n"));
        const string Stats = "meter:controller flow_count:0 packet_in_count:5 byte_in_count:300 duration:1.2s bands:\n0: packet_count:3 byte_count:180";
        const string Stats1 = "meter:1 flow_count:1 packet_in_count:0 byte_in_count:0 duration:0.5s bands:\n0: packet_count:0 byte_count:0";
        Assert.Equal(OfctlMasker.Canonical(Stats + "\n\n" + Stats1 + "\n"), OfctlMasker.Canonical(Stats1 + "\n\n" + Stats + "\n"));
    }

    [Fact]
    public void MessagesKeepTheirOrder()
    {
        const string A = "OFPT_BARRIER_REPLY (xid=0x7):\nNXT_PACKET_IN2 (xid=0x0): total_len=46 in_port=1\n";
        const string B = "NXT_PACKET_IN2 (xid=0x0): total_len=46 in_port=1\nOFPT_BARRIER_REPLY (xid=0x7):\n";
        Assert.NotEqual(OfctlMasker.Canonical(A), OfctlMasker.Canonical(B));
    }
}
