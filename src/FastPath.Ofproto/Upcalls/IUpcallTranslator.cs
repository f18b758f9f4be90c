using FastPath.Datapath.Pmd;

namespace FastPath.Ofproto.Upcalls;

/// <summary>Turns a PMD's miss into a megaflow and the actions for the packet: the OpenFlow pipeline's xlate.</summary>
public interface IUpcallTranslator
{
    /// <summary>
    /// Translates the missed packet of <paramref name="upcall"/>. Returns false when the packet is to be
    /// dropped with no megaflow (for example an unparsable frame); otherwise <paramref name="translation"/>
    /// holds the megaflow (the widest correct mask) and the datapath actions.
    /// </summary>
    bool Translate(in Upcall upcall, out UpcallTranslation translation);

    /// <summary>A packet that a userspace datapath action (a CONTROLLER output, for one) sent up.</summary>
    void OnActionUpcall(in Upcall upcall);
}
