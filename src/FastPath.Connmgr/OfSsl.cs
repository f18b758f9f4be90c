using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace FastPath.Connmgr;

/// <summary>TLS for OpenFlow connections: loads the PEM files and authenticates both sides of an <see cref="SslStream"/>.</summary>
internal sealed class OfSsl : IDisposable
{
    private readonly X509Certificate2 certificate;
    private readonly X509Certificate2 ca;

    /// <summary>Loads <paramref name="options"/>' files; a missing or malformed file throws with its name.</summary>
    public OfSsl(OfSslOptions options)
    {
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(options.CertificateFile, options.PrivateKeyFile);
            ca = X509CertificateLoader.LoadCertificateFromFile(options.CaCertificateFile);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"SSL configuration ({options.CertificateFile}, {options.PrivateKeyFile}, {options.CaCertificateFile}): {e.Message}", e);
        }
    }

    /// <summary>Authenticates as the connecting side.</summary>
    public async Task<SslStream> ClientAsync(Stream inner, string host, CancellationToken ct)
    {
        var ssl = new SslStream(inner, false, Verify);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ClientCertificates = [certificate],
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                ct).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Authenticates as the accepting side, requiring a client certificate.</summary>
    public async Task<SslStream> ServerAsync(Stream inner, CancellationToken ct)
    {
        var ssl = new SslStream(inner, false, Verify);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                ct).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        certificate.Dispose();
        ca.Dispose();
    }

    private bool Verify(object sender, X509Certificate? peer, X509Chain? chain, SslPolicyErrors errors)
    {
        if (peer is null)
        {
            return false;
        }

        // Trust exactly our CA; the peer's name is not part of OpenFlow's trust model.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        return custom.Build(leaf);
    }
}
