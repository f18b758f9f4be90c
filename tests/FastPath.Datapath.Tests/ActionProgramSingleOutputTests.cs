using System.Net;
using FastPath.Datapath.Actions;

namespace FastPath.Datapath.Tests;

public class ActionProgramSingleOutputTests
{
    [Fact]
    public void BareOutputIsRecognised()
    {
        Assert.True(ActionProgram.TryGetSingleOutput(new ActionProgramBuilder().Output(7).ToArray(), out uint port));
        Assert.Equal(7u, port);
    }

    [Fact]
    public void AnythingElseIsNot()
    {
        Assert.False(ActionProgram.TryGetSingleOutput(new ActionProgramBuilder().Output(1).Output(2).ToArray(), out _));
        Assert.False(ActionProgram.TryGetSingleOutput(new ActionProgramBuilder().SetIpv4Src(IPAddress.Loopback).Output(2).ToArray(), out _));
        Assert.False(ActionProgram.TryGetSingleOutput(new ActionProgramBuilder().PopVlan().ToArray(), out _));
        Assert.False(ActionProgram.TryGetSingleOutput([], out _));

        byte[] badLength = new ActionProgramBuilder().Output(3).ToArray();
        badLength[2] = 16;
        Assert.False(ActionProgram.TryGetSingleOutput(badLength, out _));
    }
}
