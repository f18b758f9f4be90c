using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FastPath.Connmgr.Tests;

/// <summary>A CA and certificates it signs, generated for the test and written as PEM files (as ovs-pki would).</summary>
internal sealed class TestPki : IDisposable
{
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 ca;
    private readonly string dir;
    private int serial = 1;

    public TestPki(string dir, string name = "FastPath test CA")
    {
        this.dir = dir;
        var req = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        ca = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        CaFile = Path.Combine(dir, $"{Prefix(name)}-cacert.pem");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
    }

    public string CaFile { get; }

    /// <summary>A key and a certificate signed by the CA, as an <see cref="OfSslOptions"/> trusting <paramref name="trust"/>'s CA (default: this one).</summary>
    public OfSslOptions Issue(string subject, TestPki? trust = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        byte[] serialBytes = [0, (byte)serial++, 0x42, 0x17];
        using X509Certificate2 cert = req.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serialBytes);
        string keyFile = Path.Combine(dir, $"{subject}-privkey.pem");
        string certFile = Path.Combine(dir, $"{subject}-cert.pem");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        return new OfSslOptions(keyFile, certFile, (trust ?? this).CaFile);
    }

    public void Dispose()
    {
        ca.Dispose();
        caKey.Dispose();
    }

    private static string Prefix(string name) => new([.. name.Where(char.IsLetterOrDigit)]);
}
