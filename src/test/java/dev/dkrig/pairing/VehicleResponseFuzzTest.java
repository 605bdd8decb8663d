package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Issue 9: every response handler of the vehicle on untrusted bytes. The default pairing runs
 * against the virtual device, and the answer to one exchange is replaced or altered by fuzz bytes;
 * whatever the bytes, the run ends with one result per step and no internal error (the CLI's exit
 * 70), nothing escapes {@link OwnerPairing#run}, and polling stops.
 *
 * <p>Input: byte 0 picks the exchange (1 + byte mod 32: every exchange of a default pairing, see
 * {@code FaultSweepTest}); byte 1 the alteration (mod 4): 0 the whole R-APDU becomes the rest, 1
 * the rest is XORed onto the answer from offset byte 2, 2 the data becomes the rest with the status
 * word kept, 3 the rest is appended to the data.
 */
class VehicleResponseFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void fuzzedResponse(byte[] input) throws IOException {
    int target = 1 + (input.length > 0 ? (input[0] & 0xFF) % 32 : 0);
    int mode = input.length > 1 ? (input[1] & 0xFF) % 4 : 0;
    int offset = input.length > 2 ? input[2] & 0xFF : 0;
    byte[] payload = input.length > 3 ? Arrays.copyOfRange(input, 3, input.length) : new byte[0];
    Path state = Files.createTempDirectory("dkrig-fuzz-");
    try {
      Scenario s =
          new Scenario(state)
              .vehicle(
                  v ->
                      // scrypt at N = 16: the fuzzer needs runs, not key stretching.
                      v.withVerifier(
                          new VerifierSource.FromPassword("12345678", Optional.empty(), 16, 1, 1)));
      s.wrapTransport = reader -> new AlteredAnswer(reader, target, mode, offset, payload);
      PairingOutcome outcome = s.run();
      assertTrue(
          outcome.internalError().isEmpty(),
          () -> "internal error: " + outcome.internalError().get());
      assertEquals(Step.catalogue(), outcome.results().stream().map(StepResult::step).toList());
      assertEquals(0, s.virtualDevice.unexpectedFailures(), "device bug");
      assertFalse(s.reader.polling(), "polling stopped");
    } finally {
      try (Stream<Path> files = Files.walk(state)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Forwards everything; alters the answer to exchange {@code target}. */
  private static final class AlteredAnswer implements NfcTransport {
    private final NfcTransport reader;
    private final int target;
    private final int mode;
    private final int offset;
    private final byte[] payload;
    private int exchanges;

    AlteredAnswer(NfcTransport reader, int target, int mode, int offset, byte[] payload) {
      this.reader = reader;
      this.target = target;
      this.mode = mode;
      this.offset = offset;
      this.payload = payload;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu real = reader.transmit(command);
      if (++exchanges != target) {
        return real;
      }
      byte[] bytes =
          switch (mode) {
            case 0 -> payload;
            case 1 -> {
              byte[] out = real.bytes();
              for (int i = 0; i < payload.length && offset + i < out.length; i++) {
                out[offset + i] ^= payload[i];
              }
              yield out;
            }
            case 2 -> ResponseApdu.of(payload, real.sw()).bytes();
            default -> {
              byte[] data = real.data();
              byte[] longer = Arrays.copyOf(data, data.length + payload.length);
              System.arraycopy(payload, 0, longer, data.length, payload.length);
              yield ResponseApdu.of(longer, real.sw()).bytes();
            }
          };
      if (bytes.length < 2) {
        // What every real transport reports for an answer without a status word.
        throw new TransportException(
            TransportException.Kind.BAD_RESPONSE,
            "response of " + bytes.length + " byte(s) without a status word");
      }
      return ResponseApdu.parse(bytes);
    }

    @Override
    public String description() {
      return reader.description();
    }

    @Override
    public void startPolling() {
      reader.startPolling();
    }

    @Override
    public boolean awaitTarget(Duration wait) throws InterruptedException {
      return reader.awaitTarget(wait);
    }

    @Override
    public void reset() {
      reader.reset();
    }

    @Override
    public void stopPolling() {
      reader.stopPolling();
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
