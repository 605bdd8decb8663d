package dev.dkrig.device;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.Draws;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Key Tracking Server the simulated device ships with (§1, P3.5). When a DK becomes ACTIVE the
 * device sends it a key-tracking request; T_KtsDelay later on the KTS's own clock (§13) the KTS
 * verifies the vehicle attestation 5F5A with the public key of K and the identifiers (§9) and
 * issues the KTS_Response of §12.3, which the device stores for EXCHANGE {@code E3}.
 *
 * <p>The request's format between device and KTS is internal to the simulation (§9); it carries
 * public values only.
 */
public final class SimulatedKts {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedKts.class);
  private static final int RECEIPT_IDENTIFIER_LENGTH = 16;

  private final EcKeyPair signingKey;
  private final byte[] vehicleEncryptionPublicKey;
  private final byte[] uiBundle;
  private final Duration delay;
  private final Draws draws;
  private final RigClock clock;
  private final List<Pending> pending = new ArrayList<>();
  private String lastRefusal;

  /**
   * A key-tracking request (P3.5): the DK, the 5F5A the vehicle wrote, and the public key of K that
   * must have signed it.
   *
   * @param vehicleIdentifier 8 bytes
   * @param dkIdentifier 20 bytes
   * @param endpointPublicKey the DK's 65-byte endpoint point
   * @param vehiclePublicKey the 65-byte key of K
   * @param attestation the 166-byte 5F5A value, as stored
   */
  public record KeyTrackingRequest(
      byte[] vehicleIdentifier,
      byte[] dkIdentifier,
      byte[] endpointPublicKey,
      byte[] vehiclePublicKey,
      byte[] attestation) {

    public KeyTrackingRequest {
      vehicleIdentifier = vehicleIdentifier.clone();
      dkIdentifier = dkIdentifier.clone();
      endpointPublicKey = endpointPublicKey.clone();
      vehiclePublicKey = vehiclePublicKey.clone();
      attestation = attestation.clone();
    }

    @Override
    public byte[] vehicleIdentifier() {
      return vehicleIdentifier.clone();
    }

    @Override
    public byte[] dkIdentifier() {
      return dkIdentifier.clone();
    }

    @Override
    public byte[] endpointPublicKey() {
      return endpointPublicKey.clone();
    }

    @Override
    public byte[] vehiclePublicKey() {
      return vehiclePublicKey.clone();
    }

    @Override
    public byte[] attestation() {
      return attestation.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof KeyTrackingRequest that
          && Arrays.equals(vehicleIdentifier, that.vehicleIdentifier)
          && Arrays.equals(dkIdentifier, that.dkIdentifier)
          && Arrays.equals(endpointPublicKey, that.endpointPublicKey)
          && Arrays.equals(vehiclePublicKey, that.vehiclePublicKey)
          && Arrays.equals(attestation, that.attestation);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(dkIdentifier) * 31 + Arrays.hashCode(attestation);
    }

    @Override
    public String toString() {
      return "KeyTrackingRequest[vehicle="
          + Hex.encode(vehicleIdentifier)
          + ", dk="
          + Hex.encode(dkIdentifier)
          + "]";
    }
  }

  /**
   * A KTS_Response issued for a DK.
   *
   * @param dkIdentifier the DK it belongs to
   * @param ktsResponse the §12.3 bytes the device stores unparsed
   */
  public record Issued(DkIdentifier dkIdentifier, byte[] ktsResponse) {
    public Issued {
      ktsResponse = ktsResponse.clone();
    }

    @Override
    public byte[] ktsResponse() {
      return ktsResponse.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Issued that
          && dkIdentifier.equals(that.dkIdentifier)
          && Arrays.equals(ktsResponse, that.ktsResponse);
    }

    @Override
    public int hashCode() {
      return dkIdentifier.hashCode() * 31 + Arrays.hashCode(ktsResponse);
    }

    @Override
    public String toString() {
      return "Issued[dk=" + dkIdentifier + ", " + ktsResponse.length + " bytes]";
    }
  }

  private record Pending(KeyTrackingRequest request, Instant due) {}

  /**
   * @param settings ZZ2, Devx.Enc.PK, the uiBundle and T_KtsDelay
   * @param draws the receipt identifier and the KTS ephemeral key come from here
   * @param clock the KTS clock: issue times and T_KtsDelay are read on it
   */
  public SimulatedKts(DeviceSettings settings, Draws draws, RigClock clock) {
    this.signingKey = settings.ktsSigningKey();
    this.vehicleEncryptionPublicKey = settings.vehicleEncryptionPublicKey();
    this.uiBundle = settings.uiBundle();
    this.delay = settings.ktsDelay();
    this.draws = draws;
    this.clock = clock;
  }

  /** Accepts a key-tracking request; it is answered T_KtsDelay later on the KTS clock. */
  public synchronized void submit(KeyTrackingRequest request) {
    pending.add(new Pending(request, clock.now().plus(delay)));
  }

  /** Whether a request is waiting for its T_KtsDelay to pass. */
  public synchronized boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * Answers every request whose delay has passed. A request that fails verification gets no
   * receipt; the reason is logged and kept as {@link #lastRefusal()}.
   */
  public synchronized List<Issued> deliverDue() {
    List<Issued> out = new ArrayList<>();
    Instant now = clock.now();
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending next = it.next();
      if (now.isBefore(next.due())) {
        continue;
      }
      it.remove();
      try {
        KtsResponse response = issue(next.request());
        out.add(new Issued(new DkIdentifier(next.request().dkIdentifier()), response.encode()));
      } catch (CccException e) {
        lastRefusal = next.request() + ": " + e.getMessage();
        LOG.warn("simulated KTS refuses {}", lastRefusal);
      }
    }
    return out;
  }

  /** Why the latest refused request got no receipt. */
  public synchronized Optional<String> lastRefusal() {
    return Optional.ofNullable(lastRefusal);
  }

  /**
   * The KTS's check of a request (§9), with nothing issued and nothing drawn: 5F5A parses, its
   * signature verifies under K's key, its identifiers and endpoint point are the DK's.
   *
   * @throws CccException MALFORMED, INVALID_POINT, VERIFICATION or MISMATCH for a bad request
   */
  public static void check(KeyTrackingRequest request) {
    VehicleAttestation.Signed attestation = VehicleAttestation.parse(request.attestation());
    attestation.verify(
        P256.decodePoint(request.vehiclePublicKey()),
        request.vehicleIdentifier(),
        request.dkIdentifier());
    if (!Arrays.equals(
        attestation.attestation().endpointPublicKey(), request.endpointPublicKey())) {
      throw new CccException(
          CccException.Failure.MISMATCH, "5F5A: endpoint public key is not the DK's");
    }
  }

  /**
   * Verifies a request and builds its KTS_Response now (§9, §12.3): 5F5A parses, its signature
   * verifies under K's key, its identifiers and endpoint point are the DK's; then the receipt
   * (issue time = KTS clock, receipt identifier drawn as {@code kts.receipt-id}) is sealed with an
   * ephemeral key drawn as {@code kts.ephemeral}.
   *
   * @throws CccException MALFORMED, INVALID_POINT, VERIFICATION or MISMATCH for a bad request
   */
  public KtsResponse issue(KeyTrackingRequest request) {
    check(request);
    ReceiptPlaintext receipt =
        new ReceiptPlaintext(
            request.vehicleIdentifier(),
            request.dkIdentifier(),
            clock.now().getEpochSecond(),
            draws.bytes(Draws.Names.RECEIPT_ID, RECEIPT_IDENTIFIER_LENGTH),
            uiBundle);
    EcKeyPair ephemeral = EcKeyPair.fromPrivate(draws.scalar(Draws.Names.KTS_EPHEMERAL));
    return KtsResponse.build(receipt, ephemeral, vehicleEncryptionPublicKey, signingKey);
  }

  @Override
  public String toString() {
    return "SimulatedKts[ZZ2.PK="
        + Hex.encode(signingKey.publicBytes())
        + ", delay="
        + delay
        + ", pending="
        + pending.size()
        + ", uiBundle="
        + uiBundle.length
        + " bytes]";
  }
}
