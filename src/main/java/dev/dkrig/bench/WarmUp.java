package dev.dkrig.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.ccc.spake2.DeviceSpake2;
import dev.dkrig.ccc.spake2.ProverSecrets;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Spake2;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.device.T1Material;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.report.JsonReport;
import dev.dkrig.transport.WarmingTransport;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: while the car waits for the phone, a low-priority thread runs the pairing's crypto,
 * codecs and report rendering on throwaway inputs, so the first real exchanges meet compiled code
 * and loaded classes. Inputs come from the contract's public T1 test material and a generator of
 * its own (never the run's keys, never the run's random stream). The work is cut into slices of one
 * small operation each (well under 1 ms once compiled); {@link #stop()} takes effect at the next
 * slice. {@code DKRIG_WARMUP=off} turns it off.
 */
public final class WarmUp implements WarmingTransport.Warmer {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** The most a warm-up runs: enough for the compilers, not a core burnt for a whole wait. */
  static final Duration BUDGET = Duration.ofSeconds(20);

  /** Its own seed: the warm-up's scalars are unrelated to any run's ("WARM"). */
  private static final long SEED = 0x5741524DL;

  private static final int CHANNEL_COMMANDS = 100;

  private final Duration budget;
  private final AtomicLong slices = new AtomicLong();
  private volatile boolean stopped;
  private Thread thread;

  WarmUp(Duration budget) {
    this.budget = budget;
  }

  public static WarmUp create() {
    return new WarmUp(BUDGET);
  }

  /** False when {@code DKRIG_WARMUP=off} (comparisons without it). */
  public static boolean enabled(Map<String, String> environment) {
    return !"off".equalsIgnoreCase(environment.getOrDefault("DKRIG_WARMUP", "on").strip());
  }

  @Override
  public synchronized void start() {
    if (stopped || thread != null) {
      return;
    }
    thread = new Thread(this::run, "dkrig-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  @Override
  public void stop() {
    stopped = true;
  }

  /** How many slices ran so far. */
  long slices() {
    return slices.get();
  }

  /** Whether the thread has ended (never started counts as ended). */
  synchronized boolean finished() {
    return thread == null || !thread.isAlive();
  }

  /** Every slice once, on this thread; a failing one throws (tests). */
  static void runEachOnce() {
    new Work().units().forEach(Runnable::run);
  }

  private void run() {
    long end = System.nanoTime() + budget.toNanos();
    Work work = new Work();
    List<Runnable> units = work.units();
    int i = 0;
    while (!stopped && System.nanoTime() < end) {
      try {
        units.get(i % units.size()).run();
      } catch (RuntimeException e) {
        // A warm-up must never disturb the run: its failure is only noted.
        LOG.debug("warm-up slice {} failed: {}", i % units.size(), e.toString());
      }
      slices.incrementAndGet();
      i++;
    }
  }

  /** The throwaway state the slices work on, made on the warm-up thread. */
  private static final class Work {
    private final Draws draws = new SeededDraws(SEED);
    private final EcKeyPair a = EcKeyPair.fromPrivate(draws.scalar("a"));
    private final EcKeyPair b = EcKeyPair.fromPrivate(draws.scalar("b"));
    private final BigInteger k = draws.scalar("k");
    private final byte[] message = draws.bytes("message", 102);
    private final byte[] key = draws.bytes("key", 16);
    private final ProverSecrets secrets = new ProverSecrets(draws.scalar("w0"), draws.scalar("w1"));
    private final Verifier verifier =
        new Verifier(
            P256.encodeScalar(secrets.w0()),
            P256.encode(P256.multiplyG(secrets.w1())),
            new ScryptParameters(draws.bytes("salt", 16), 16, 1, 1));
    private final byte[] aad = Hex.decode("5B0201015C020101");
    private byte[] signature = Ecdsa.sign(a, message);
    private DeviceSpake2 device;
    private VehicleSpake2 vehicle;
    private byte[] m1;
    private byte[] m2;
    private SessionKeys sessionKeys = new SessionKeys(key, key, key);
    private SecureChannel vehicleSide;
    private SecureChannel deviceSide;
    private int channelCommands = CHANNEL_COMMANDS;

    List<Runnable> units() {
      return List.of(
          () -> P256.multiplyG(k),
          () -> P256.multiplyFixed(Spake2.N, k),
          () -> P256.multiplyFixed(Spake2.M, k),
          () -> P256.ecdhX(k, b.publicKey()),
          () -> P256.decodePoint(b.publicBytes()),
          () -> signature = Ecdsa.sign(a, message),
          () -> Ecdsa.verify(a.publicKey(), message, signature),
          () -> device = DeviceSpake2.withScalar(secrets, k),
          () -> vehicle = VehicleSpake2.withScalar(verifier, k.add(BigInteger.ONE)),
          () -> m1 = vehicle.receive(device.share(), aad),
          () -> m2 = device.respond(vehicle.share(), m1, aad),
          () -> sessionKeys = confirm().frameworkKeys(),
          () -> Crypto.x963(key, message, 64),
          () -> Crypto.aesGcmDecrypt(key, key, aad, Crypto.aesGcmEncrypt(key, key, aad, message)),
          this::channelExchange,
          () -> CccCertificate.parse(T1Material.deviceOemCaCertificate().encoded()),
          () -> CccCertificate.parse(T1Material.vehicleCertificate().encoded()),
          this::attestation,
          this::report);
    }

    private SystemKeys confirm() {
      vehicle.confirm(m2);
      return SystemKeys.derive(Crypto.sha256(m1, m2));
    }

    /** One protected WRITE DATA and its answer, both sides of the channel (§6). */
    private void channelExchange() {
      if (channelCommands >= CHANNEL_COMMANDS) {
        vehicleSide = SecureChannel.open(ChannelKind.FRAMEWORK, sessionKeys);
        deviceSide = SecureChannel.open(ChannelKind.FRAMEWORK, sessionKeys);
        channelCommands = 0;
      }
      channelCommands++;
      CommandApdu command = vehicleSide.protectCommand(Ins.WRITE_DATA, 0x00, 0x00, message);
      deviceSide.unprotectCommand(command);
      ResponseApdu response = deviceSide.protectResponse(new byte[0], StatusWord.SUCCESS);
      vehicleSide.unprotectResponse(response);
    }

    private void attestation() {
      byte[] signed =
          VehicleAttestation.forEndpoint(
                  T1Material.vehicleIdentifier(), b.publicBytes(), 1_800_000_000L)
              .sign(a)
              .encode();
      Tlv.parseAll(KeyCreationStream.encodeAttestationStream(signed));
    }

    /** A small report as the JSON renderer writes one, and the trace's APDU form. */
    private void report() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("schema", JsonReport.SCHEMA);
      node.put("command", Hex.encode(message));
      node.put("status", StatusWord.describe(StatusWord.SUCCESS));
      node.putArray("steps").addObject().put("id", "P2.3").put("result", "PASS");
      JsonReport.text(node);
    }
  }
}
