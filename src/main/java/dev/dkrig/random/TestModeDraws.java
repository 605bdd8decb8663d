package dev.dkrig.random;

import dev.dkrig.iso7816.Hex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test mode (§18.2): every random input is the T1 value of §17.4.1–17.4.2, so a run reproduces the
 * T1 transcript byte for byte. Draws that happen once per transaction (ephemeral keys, transaction
 * identifiers) answer the phase-3 value first and the phase-4 value afterwards; the device's
 * ephemeral key follows its DK state instead, as §18.2 requires.
 */
public final class TestModeDraws extends StoredDraws {
  /** T1 key material, public test values from the contract (§17.4.2). */
  public static final String SPAKE2_X =
      "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";

  public static final String SPAKE2_Y =
      "F1E1D1C1B1A191817161514131211101F0E0D0C0B0A090807060504030201000";
  public static final String ENDPOINT_SK =
      "D416314458C719EE78A5288793817B26D7B309442EBA98B367A9908C422A80DB";
  public static final String KTS_EPHEMERAL_SK =
      "12CF07033A6B23B8B19AFF02E8E19EE9DD8C6F3B98272C6FEDF67416D9057F63";
  public static final String VEHICLE_EPHEMERAL_P3 =
      "BE97CE850506782A30519417B87416DC250C56FBB699511665542B7E05D93ADD";
  public static final String VEHICLE_EPHEMERAL_P4 =
      "DD29E6B95D0EC4E5FC34AD5B3D1199071B2B8563F85E357C60F1BA7C12799375";
  public static final String DEVICE_EPHEMERAL_P3 =
      "7D91A6DD2DEB598836532385AF6B7586049D5ABACEDAC091B46E9710A1F81E73";
  public static final String DEVICE_EPHEMERAL_P4 =
      "FCBB157D0C1B2D6AC9AF73266B52A35EF3B2A23F70EAD9CB345DCC1DF8A43629";
  public static final String TXID_P3 = "101112131415161718191A1B1C1D1E1F";
  public static final String TXID_P4 = "202122232425262728292A2B2C2D2E2F";
  public static final String RECEIPT_ID = "524543454950542D3030303030303031";
  public static final String SALT = "000102030405060708090A0B0C0D0E0F";

  /** Suffixes the device adds to {@link Names#DEVICE_EPHEMERAL} by DK state (§18.2). */
  public static final String WHILE_CREATED = ".created";

  public static final String WHILE_ACTIVE = ".active";

  private static final Map<String, List<String>> SEQUENCES =
      Map.of(
          Names.SPAKE2_X,
          List.of(SPAKE2_X),
          Names.SPAKE2_Y,
          List.of(SPAKE2_Y),
          Names.ENDPOINT_KEY,
          List.of(ENDPOINT_SK),
          Names.KTS_EPHEMERAL,
          List.of(KTS_EPHEMERAL_SK),
          Names.VEHICLE_EPHEMERAL,
          List.of(VEHICLE_EPHEMERAL_P3, VEHICLE_EPHEMERAL_P4),
          Names.DEVICE_EPHEMERAL + WHILE_CREATED,
          List.of(DEVICE_EPHEMERAL_P3),
          Names.DEVICE_EPHEMERAL + WHILE_ACTIVE,
          List.of(DEVICE_EPHEMERAL_P4),
          Names.TRANSACTION_ID,
          List.of(TXID_P3, TXID_P4),
          Names.RECEIPT_ID,
          List.of(RECEIPT_ID),
          Names.VERIFIER_SALT,
          List.of(SALT));

  private final Map<String, Integer> used = new HashMap<>();

  public TestModeDraws() {
    super("test-mode draw");
  }

  /** The next value of a sequence; the last one repeats once the sequence is used up. */
  @Override
  byte[] next(String name) {
    List<String> values = SEQUENCES.get(name);
    if (values == null) {
      throw new IllegalStateException("test mode has no T1 value for draw '" + name + "'");
    }
    int index = used.merge(name, 1, Integer::sum) - 1;
    return Hex.decode(values.get(Math.min(index, values.size() - 1)));
  }
}
