namespace FastPath.Connmgr;

/// <summary>
/// The PEM files of an SSL target (Open vSwitch's --private-key, --certificate, --ca-cert): our key and
/// certificate, and the CA certificate every peer's certificate must chain to. Peers are verified by that
/// chain alone (host names are not checked, as in Open vSwitch); a peer without a certificate is refused.
/// </summary>
/// <param name="PrivateKeyFile">PEM private key of our certificate.</param>
/// <param name="CertificateFile">PEM certificate presented to peers.</param>
/// <param name="CaCertificateFile">PEM certificate of the CA that signs peers' certificates.</param>
public sealed record OfSslOptions(string PrivateKeyFile, string CertificateFile, string CaCertificateFile);
