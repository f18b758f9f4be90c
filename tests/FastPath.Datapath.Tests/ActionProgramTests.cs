using System.Buffers.Binary;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Datapath.Tests;

/// <summary>The action program encoding: builder layout, validation, OVS-syntax formatting, and executor robustness on bad programs.</summary>
public sealed class ActionProgramTests : IDisposable
{
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void BuilderEncodesTheDocumentedLayout()
    {
        // [u16 type LE][u16 length LE][payload], scalars little-endian, packet bytes in network order.
        Assert.Equal(new byte[] { 1, 0, 8, 0, 7, 0, 0, 0 }, new ActionProgramBuilder().Output(7).ToArray());
        Assert.Equal(new byte[] { 2, 0, 16, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1 },
            new ActionProgramBuilder().Userspace(0x0102030405060708).ToArray());
        Assert.Equal(new byte[] { 3, 0, 16, 0, (byte)ActionField.Ipv4Src, 4, 0, 0, 10, 99, 0, 1, 255, 255, 255, 255 },
            new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse("10.99.0.1")).ToArray());
        Assert.Equal(new byte[] { 4, 0, 8, 0, 0x88, 0xa8, 0x20, 0x05 }, new ActionProgramBuilder().PushVlan(0x88a8, 0x2005).ToArray());
        Assert.Equal(new byte[] { 5, 0, 8, 0, 0, 0, 0, 0 }, new ActionProgramBuilder().PopVlan().ToArray());
        Assert.Equal(new byte[] { 6, 0, 8, 0, 0, 0, 0, 0 }, new ActionProgramBuilder().DecTtl().ToArray());

        // A 2-byte field: 8 + 2 + 2 = 12, padded to 16; the value is pre-masked.
        Assert.Equal(new byte[] { 3, 0, 16, 0, (byte)ActionField.TcpDst, 2, 0, 0, 0x12, 0x00, 0xff, 0x00, 0, 0, 0, 0 },
            new ActionProgramBuilder().SetTpDst(TransportProtocol.Tcp, 0x1234, 0xff00).ToArray());
    }

    public static TheoryData<string> BuilderCalls() => new()
    {
        "output", "userspace", "eth_src", "eth_dst_masked", "vid", "pcp", "ipv4_src", "ipv4_dst_masked", "tos", "ttl",
        "ipv6_src", "ipv6_dst_masked", "tc", "label", "hlimit", "tcp", "udp", "sctp", "push", "pop", "dec_ttl",
        "push_mpls", "push_mpls_lse", "pop_mpls", "dec_mpls_ttl", "mpls_label", "mpls_tc", "mpls_ttl", "mpls_lse",
    };

    private static ActionProgramBuilder Call(string name, ActionProgramBuilder b) => name switch
    {
        "output" => b.Output(uint.MaxValue),
        "userspace" => b.Userspace(ulong.MaxValue),
        "eth_src" => b.SetEthSrc([1, 2, 3, 4, 5, 6]),
        "eth_dst_masked" => b.SetEthDst([1, 2, 3, 4, 5, 6], [0xff, 0, 0xff, 0, 0xff, 0]),
        "vid" => b.SetVlanVid(4095),
        "pcp" => b.SetVlanPcp(7),
        "ipv4_src" => b.SetIpv4Src(IPAddress.Parse("1.2.3.4")),
        "ipv4_dst_masked" => b.SetIpv4Dst(IPAddress.Parse("1.2.3.4"), IPAddress.Parse("255.255.255.0")),
        "tos" => b.SetIpv4Tos(0xff, 0xfc),
        "ttl" => b.SetIpv4Ttl(1),
        "ipv6_src" => b.SetIpv6Src(IPAddress.Parse("::1")),
        "ipv6_dst_masked" => b.SetIpv6Dst(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("ffff::")),
        "tc" => b.SetIpv6Tc(0xff, 0x0f),
        "label" => b.SetIpv6Label(0xfffff, 0xf),
        "hlimit" => b.SetIpv6HopLimit(0),
        "tcp" => b.SetTpSrc(TransportProtocol.Tcp, 1),
        "udp" => b.SetTpDst(TransportProtocol.Udp, 2, 0xf),
        "sctp" => b.SetTpSrc(TransportProtocol.Sctp, 3),
        "push" => b.PushVlan(0x8100, 0xffff),
        "pop" => b.PopVlan(),
        "push_mpls" => b.PushMpls(0x8848),
        "push_mpls_lse" => b.PushMpls(0x8847, 0xfffff, 7, 255, true),
        "pop_mpls" => b.PopMpls(0x86dd),
        "dec_mpls_ttl" => b.DecMplsTtl(),
        "mpls_label" => b.SetMplsLabel(0xfffff),
        "mpls_tc" => b.SetMplsTc(7),
        "mpls_ttl" => b.SetMplsTtl(0),
        "mpls_lse" => b.SetMplsLse(0x12345678, 0xf0f0f0f0),
        _ => b.DecTtl(),
    };

    [Theory]
    [MemberData(nameof(BuilderCalls))]
    public void EveryBuilderCallYieldsAnAlignedValidProgram(string name)
    {
        var b = Call(name, new ActionProgramBuilder().Output(1));
        Assert.Equal(0, b.Length % ActionProgram.Alignment);
        ProgramValidation v = ActionProgram.Validate(b.AsSpan());
        Assert.True(v.IsValid, v.ToString());
        Assert.Equal(-1, v.Offset);
        Assert.DoesNotContain("invalid", b.ToString());
    }

    [Fact]
    public void BuilderEncodesMplsActions()
    {
        // push_mpls: entry (network order), MPLS type (network order), flags, 5 pad bytes.
        Assert.Equal(new byte[] { 7, 0, 16, 0, 0x00, 0x01, 0x01, 0x40, 0x88, 0x47, 0, 0, 0, 0, 0, 0 },
            new ActionProgramBuilder().PushMpls(0x8847, 16, 0, 64, bos: true).ToArray());
        Assert.Equal(new byte[] { 7, 0, 16, 0, 0, 0, 0, 0, 0x88, 0x48, ActionProgram.PushMplsFromPacket, 0, 0, 0, 0, 0 },
            new ActionProgramBuilder().PushMpls(0x8848).ToArray());
        Assert.Equal(new byte[] { 8, 0, 8, 0, 0x08, 0x00, 0, 0 }, new ActionProgramBuilder().PopMpls(0x0800).ToArray());
        Assert.Equal(new byte[] { 9, 0, 8, 0, 0, 0, 0, 0 }, new ActionProgramBuilder().DecMplsTtl().ToArray());
        Assert.Equal(new byte[] { 3, 0, 16, 0, (byte)ActionField.MplsLse, 4, 0, 0, 0, 0, 0x0e, 0, 0, 0, 0x0e, 0 },
            new ActionProgramBuilder().SetMplsTc(7).ToArray());
        Assert.Equal(0x12345b40u, ActionProgramBuilder.MplsLse(0x12345, 5, 0x40, true));
    }

    [Fact]
    public void BuilderRejectsBadMplsArguments()
    {
        var b = new ActionProgramBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => b.PushMpls(0x0800));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.PushMpls(0x8847, 0x100000, 0, 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.PushMpls(0x8847, 1, 8, 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.PopMpls(0x05ff));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetMplsLabel(0x100000));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetMplsTc(8));
        Assert.Equal(0, b.Length);
    }

    [Fact]
    public void BuilderDropsValueBitsOutsideTheMask()
    {
        byte[] p = new ActionProgramBuilder().SetIpv4Tos(0xff, 0x0f).ToArray();
        Assert.Equal(0x0f, p[8]);
        Assert.Equal(0x0f, p[9]);
    }

    [Fact]
    public void BuilderRejectsOutOfRangeArguments()
    {
        var b = new ActionProgramBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetVlanVid(4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetVlanPcp(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.PushVlan(0x0800, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetIpv6Label(1, 0x100000));
        Assert.Throws<ArgumentException>(() => b.SetIpv4Src(IPAddress.Parse("::1")));
        Assert.Throws<ArgumentException>(() => b.SetIpv6Dst(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("255.0.0.0")));
        Assert.Throws<ArgumentException>(() => b.SetEthSrc([1, 2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.SetMasked((ActionField)200, [1], [1]));
        Assert.Equal(0, b.Length);
    }

    [Fact]
    public void ClearEmptiesTheBuilderForReuse()
    {
        var b = new ActionProgramBuilder().Output(1).DecTtl();
        Assert.Equal(16, b.Length);
        Assert.Equal(new byte[] { 1, 0, 8, 0, 2, 0, 0, 0 }, b.Clear().Output(2).ToArray());
    }

    public static TheoryData<byte[], int, string> BadPrograms()
    {
        byte[] ok = new ActionProgramBuilder().Output(1).ToArray();
        byte[] set = new ActionProgramBuilder().SetTpSrc(TransportProtocol.Tcp, 80).ToArray();
        byte[] pushMpls = new ActionProgramBuilder().PushMpls(0x8847, 1, 0, 64, true).ToArray();
        return new()
        {
            { [1, 0, 8, 0, 1, 0], 0, "truncated" },
            { [.. ok, 1, 0, 8], 8, "truncated" },
            { [1, 0, 16, 0, 1, 0, 0, 0], 0, "truncated" },
            { [1, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0, 0], 0, "multiple of 8" },
            { [1, 0, 0, 0, 0, 0, 0, 0], 0, "multiple of 8" },
            { [.. ok, 99, 0, 8, 0, 0, 0, 0, 0], 8, "unknown action type 99" },
            { [1, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "must be 8 bytes" },
            { [2, 0, 8, 0, 0, 0, 0, 0], 0, "must be 16 bytes" },
            { [4, 0, 8, 0, 0x08, 0x00, 0, 1], 0, "TPID" },
            { Patch(set, 4, 0), 0, "unknown set field 0" },
            { Patch(set, 4, 77), 0, "unknown set field 77" },
            { Patch(set, 5, 4), 0, "size 4" },
            { Patch(set, 8, 0xff, 10, 0x0f), 0, "outside its mask" },
            { [.. ok, .. Patch(new ActionProgramBuilder().SetIpv6Src(IPAddress.Parse("::1")).ToArray(), 2, 32)], 8, "must be 40 bytes" },
            { [7, 0, 8, 0, 0, 0, 0, 0], 0, "PushMpls must be 16 bytes" },
            { Patch(pushMpls, 9, 0x00), 0, "neither 0x8847 nor 0x8848" },
            { Patch(pushMpls, 10, 2), 0, "unknown flags" },
            { Patch(new ActionProgramBuilder().PushMpls(0x8847).ToArray(), 7, 1), 0, "also carries one" },
            { [8, 0, 8, 0, 0x05, 0xdc, 0, 0], 0, "802.3 length" },
            { [.. ok, 8, 0, 16, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8, "PopMpls must be 8 bytes" },
            { [9, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "DecMplsTtl must be 8 bytes" },
            { Patch(new ActionProgramBuilder().SetMplsLabel(1).ToArray(), 5, 2), 0, "size 2" },
        };
    }

    [Theory]
    [MemberData(nameof(BadPrograms))]
    public void ValidateNamesTheBadActionAndWhy(byte[] program, int offset, string why)
    {
        ProgramValidation v = ActionProgram.Validate(program);
        Assert.False(v.IsValid);
        Assert.Equal(offset, v.Offset);
        Assert.Contains(why, v.Error);
        Assert.Contains($"at byte {offset}", v.ToString());
        Assert.Contains("invalid(", ActionFormatter.Format(program));
    }

    [Fact]
    public void ExecutorStopsAtATruncatedOrUnknownActionAfterRunningThoseBefore()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        byte[] good = new ActionProgramBuilder().Output(1).SetIpv4Ttl(9).ToArray();
        foreach (byte[] bad in new[] { (byte[])[.. good, 99, 0, 8, 0, 0, 0, 0, 0], [.. good, 1, 0, 8, 0], [.. good, 1, 0, 24, 0, 0, 0, 0, 0] })
        {
            Packet p = h.Load(frame);
            var sink = new RecordingSink(h.Pool);
            ExecResult r = ActionExecutor.Execute(h.Pool, ref p, bad, ref sink);
            Assert.Equal(ExecStatus.InvalidProgram, r.Status);
            Assert.False(r.Consumed);
            Assert.Equal(1, r.Outputs);
            Assert.Equal(9, h.Bytes(p)[14 + 8]);
        }
    }

    [Fact]
    public void EveryTruncationOfAValidProgramIsRejectedByBothValidatorAndExecutor()
    {
        byte[] program = new ActionProgramBuilder()
            .SetIpv6Src(IPAddress.Parse("2001:db8::5"))
            .SetIpv4Dst(IPAddress.Parse("10.1.2.3"))
            .Userspace(5)
            .SetTpDst(TransportProtocol.Udp, 7)
            .PushVlan(0x8100, 1)
            .Output(9)
            .ToArray();
        var boundaries = new HashSet<int> { 0 };
        for (int pos = 0; pos < program.Length; pos += BinaryPrimitives.ReadUInt16LittleEndian(program.AsSpan(pos + 2)))
        {
            boundaries.Add(pos + BinaryPrimitives.ReadUInt16LittleEndian(program.AsSpan(pos + 2)));
        }

        for (int len = 0; len <= program.Length; len++)
        {
            bool atBoundary = boundaries.Contains(len);
            Assert.Equal(atBoundary, ActionProgram.Validate(program.AsSpan(0, len)).IsValid);
            Packet p = h.Load(ActionTestPackets.Ipv4Udp());
            var sink = new RecordingSink(h.Pool);
            ExecResult r = ActionExecutor.Execute(h.Pool, ref p, program.AsSpan(0, len), ref sink);
            Assert.Equal(atBoundary ? ExecStatus.Completed : ExecStatus.InvalidProgram, r.Status);
            FreeAll(p, sink);
        }
    }

    [Fact]
    public void RandomlyCorruptedProgramsNeverThrowOrEscapeTheFrame()
    {
        byte[] program = new ActionProgramBuilder()
            .SetEthSrc([1, 2, 3, 4, 5, 6])
            .SetIpv4Src(IPAddress.Parse("10.0.0.9"))
            .SetIpv6Dst(IPAddress.Parse("2001:db8::9"))
            .SetTpSrc(TransportProtocol.Tcp, 1)
            .SetTpSrc(TransportProtocol.Sctp, 1)
            .PushVlan(0x8100, 2)
            .PopVlan()
            .DecTtl()
            .PushMpls(0x8847)
            .SetMplsLabel(5)
            .DecMplsTtl()
            .PopMpls(0x0800)
            .Output(1)
            .ToArray();
        byte[][] frames = [ActionTestPackets.Ipv4Tcp(), ActionTestPackets.Ipv6Tcp(), ActionTestPackets.Sctp(ipv6: false)];
        var rng = new Random(2024);
        for (int i = 0; i < 3000; i++)
        {
            byte[] bad = (byte[])program.Clone();
            for (int k = rng.Next(1, 4); k > 0; k--)
            {
                bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            }

            _ = ActionProgram.Validate(bad);
            _ = ActionFormatter.Format(bad);
            Packet p = h.Load(frames[i % frames.Length]);
            var sink = new RecordingSink(h.Pool);
            ExecResult r = ActionExecutor.Execute(h.Pool, ref p, bad, ref sink);

            // The handle must still describe bytes inside its own frame.
            Assert.True(p.Length <= h.Pool.MaxPacketLength + h.Pool.Headroom);
            _ = h.Pool.GetData(p);
            FreeAll(p, sink);
        }
    }

    [Fact]
    public void FormatUsesOpenVSwitchDatapathSyntax()
    {
        Assert.Equal("set(ipv4(src=10.99.0.1)),push_vlan(vid=10,pcp=0),2",
            new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse("10.99.0.1")).PushVlan(0x8100, 10).Output(2).ToString());
        Assert.Equal("drop", new ActionProgramBuilder().ToString());
        Assert.Equal("pop_vlan,dec_ttl,userspace(cookie=0x2a),1",
            new ActionProgramBuilder().PopVlan().DecTtl().Userspace(42).Output(1).ToString());
        Assert.Equal("push_vlan(tpid=0x88a8,vid=100,pcp=3,cfi=1)", new ActionProgramBuilder().PushVlan(0x88a8, (3 << 13) | 0x1000 | 100).ToString());
        Assert.Equal("set(eth(src=02:00:00:00:00:01)),set(eth(dst=0a:0b:0c:00:00:00/ff:ff:ff:00:00:00))",
            new ActionProgramBuilder().SetEthSrc([2, 0, 0, 0, 0, 1]).SetEthDst([10, 11, 12, 13, 14, 15], [0xff, 0xff, 0xff, 0, 0, 0]).ToString());
        Assert.Equal("set(ipv4(dst=10.1.0.0/255.255.0.0)),set(ipv4(tos=0xb8/0xfc)),set(ipv4(ttl=63))",
            new ActionProgramBuilder().SetIpv4Dst(IPAddress.Parse("10.1.2.3"), IPAddress.Parse("255.255.0.0")).SetIpv4Tos(0xb8, 0xfc).SetIpv4Ttl(63).ToString());
        Assert.Equal("set(ipv6(src=2001:db8::1)),set(ipv6(dst=fd00::/ffff::)),set(ipv6(tclass=0x20)),set(ipv6(label=0x12345)),set(ipv6(hlimit=5))",
            new ActionProgramBuilder().SetIpv6Src(IPAddress.Parse("2001:db8::1")).SetIpv6Dst(IPAddress.Parse("fd00::1"), IPAddress.Parse("ffff::"))
                .SetIpv6Tc(0x20).SetIpv6Label(0x12345).SetIpv6HopLimit(5).ToString());
        Assert.Equal("set(tcp(src=80)),set(udp(dst=4608/0xff00)),set(sctp(dst=9))",
            new ActionProgramBuilder().SetTpSrc(TransportProtocol.Tcp, 80).SetTpDst(TransportProtocol.Udp, 0x1234, 0xff00).SetTpDst(TransportProtocol.Sctp, 9).ToString());
        Assert.Equal("set(vlan(vid=5)),set(vlan(pcp=2)),set(vlan(tci=0x1000/0x1000))",
            new ActionProgramBuilder().SetVlanVid(5).SetVlanPcp(2).SetVlanTci(0x1000, 0x1000).ToString());
    }

    [Fact]
    public void FormatPrintsMplsActionsInOpenVSwitchDatapathSyntax()
    {
        Assert.Equal("push_mpls(label=16,tc=3,ttl=64,bos=1,eth_type=0x8847),pop_mpls(eth_type=0x800),dec_mpls_ttl,push_mpls(eth_type=0x8848)",
            new ActionProgramBuilder().PushMpls(0x8847, 16, 3, 64, true).PopMpls(0x0800).DecMplsTtl().PushMpls(0x8848).ToString());
        Assert.Equal("set(mpls(label=1048575)),set(mpls(tc=5)),set(mpls(ttl=9))",
            new ActionProgramBuilder().SetMplsLabel(0xfffff).SetMplsTc(5).SetMplsTtl(9).ToString());

        // A full mask prints the whole entry, as Open vSwitch prints an unmasked set(mpls()).
        Assert.Equal("set(mpls(label=18,tc=2,ttl=255,bos=1))",
            new ActionProgramBuilder().SetMplsLse(ActionProgramBuilder.MplsLse(18, 2, 255, true), 0xffffffff).ToString());
        Assert.Equal("set(mpls(label=16/0xf0,ttl=0/0xf))", new ActionProgramBuilder().SetMplsLse(0x10000, 0xf000f).ToString());
    }

    private static byte[] Patch(byte[] program, params int[] offsetValuePairs)
    {
        byte[] p = (byte[])program.Clone();
        for (int i = 0; i < offsetValuePairs.Length; i += 2)
        {
            p[offsetValuePairs[i]] = (byte)offsetValuePairs[i + 1];
        }

        return p;
    }

    private void FreeAll(in Packet p, RecordingSink sink)
    {
        foreach (Delivery d in sink.Deliveries.Where(d => !d.IsUserspace && !d.IsLast))
        {
            h.Pool.Free(d.Handle);
        }

        h.Pool.Free(p);
    }
}
