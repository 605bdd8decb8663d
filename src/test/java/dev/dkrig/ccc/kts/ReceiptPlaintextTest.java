package dev.dkrig.ccc.kts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.ccc.dka.T1Vectors;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §12.3 step 1 receipt layout and §12.4 step 5 strictness. */
class ReceiptPlaintextTest {
  private static final String VEHICLE = "8008444B524947563031";
  private static final String DK = "8114" + "0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B";
  private static final String TIME = "8208000000006B0971EC";
  private static final String RECEIPT_ID = "8310524543454950542D3030303030303031";
  private static final String BUNDLE = "840141";

  @Test
  void parsesT1sPlaintext() {
    ReceiptPlaintext receipt = ReceiptPlaintext.parse(T1Vectors.hex("kts.plaintext"));

    assertEquals(KtsResponseTest.t1Receipt(), receipt);
    assertEquals(0x6B0971ECL, receipt.issueTime());
    receipt.checkIdentifiers(T1Vectors.VEHICLE_IDENTIFIER, T1Vectors.hex("DK_identifier"));
  }

  @Test
  void uiBundleRangesFromEmptyTo1024Bytes() {
    for (int size : new int[] {0, 1, 127, 128, 1024}) {
      ReceiptPlaintext receipt =
          new ReceiptPlaintext(
              T1Vectors.VEHICLE_IDENTIFIER,
              T1Vectors.hex("DK_identifier"),
              1L,
              new byte[16],
              new byte[size]);
      assertEquals(receipt, ReceiptPlaintext.parse(receipt.encode()));
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ReceiptPlaintext(
                T1Vectors.VEHICLE_IDENTIFIER,
                T1Vectors.hex("DK_identifier"),
                1L,
                new byte[16],
                new byte[1025]));
  }

  @Test
  void anythingButTheExactLayoutIsAMismatchForAbort0A() {
    List<String> bad =
        List.of(
            DK + VEHICLE + TIME + RECEIPT_ID + BUNDLE,
            VEHICLE + DK + TIME + RECEIPT_ID,
            VEHICLE + DK + TIME + RECEIPT_ID + BUNDLE + "8500",
            "8007444B5249475630" + DK + TIME + RECEIPT_ID + BUNDLE,
            VEHICLE + DK + "8204" + "6B0971EC" + RECEIPT_ID + BUNDLE,
            VEHICLE + DK + TIME + "830F524543454950542D30303030303030" + BUNDLE,
            VEHICLE + DK + TIME + RECEIPT_ID + "8482040100" + "00".repeat(1025),
            VEHICLE + DK + TIME + RECEIPT_ID + "8405",
            "");
    for (String data : bad) {
      CccException e =
          assertThrows(CccException.class, () -> ReceiptPlaintext.parse(Hex.decode(data)), data);
      assertEquals(Failure.MISMATCH, e.failure(), data);
      assertTrue(e.getMessage().startsWith("§12.4 step 5:"), e.getMessage());
    }
  }
}
