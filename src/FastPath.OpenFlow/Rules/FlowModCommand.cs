namespace FastPath.OpenFlow.Rules;

/// <summary>OpenFlow's flow-mod commands.</summary>
public enum FlowModCommand
{
    /// <summary>OFPFC_ADD.</summary>
    Add,

    /// <summary>OFPFC_MODIFY: every rule the match covers.</summary>
    Modify,

    /// <summary>OFPFC_MODIFY_STRICT: the rule with exactly this match and priority.</summary>
    ModifyStrict,

    /// <summary>OFPFC_DELETE: every rule the match covers.</summary>
    Delete,

    /// <summary>OFPFC_DELETE_STRICT: the rule with exactly this match and priority.</summary>
    DeleteStrict,
}
