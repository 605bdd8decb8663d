package dev.dkrig.ccc.pki;

/**
 * The outcome of a successful §8.5 verification: the anchor that F chained to (or that F is), and
 * the three device certificates.
 *
 * @param trustAnchor the anchor that vouched for F
 * @param deviceOemCa F
 * @param instanceCa E
 * @param endpoint H
 */
public record VerifiedChain(
    TrustAnchor trustAnchor,
    CccCertificate deviceOemCa,
    CccCertificate instanceCa,
    CccCertificate endpoint) {

  /** The endpoint's 65-byte public point, the key that signs AUTH1 (§11.4). */
  public byte[] endpointPublicKey() {
    return endpoint.publicKey();
  }

  /** SHA-1 of the endpoint point (§1), to compare with 7F26 at binding (§8.6). */
  public DkIdentifier endpointKeyIdentifier() {
    return DkIdentifier.ofEndpointKey(endpoint.publicKey());
  }
}
