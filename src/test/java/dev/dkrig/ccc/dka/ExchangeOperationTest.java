package dev.dkrig.ccc.dka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.dka.ExchangeOperation.GetReceipt;
import dev.dkrig.ccc.dka.ExchangeOperation.MailboxSizes;
import dev.dkrig.ccc.dka.ExchangeOperation.ReadMailbox;
import dev.dkrig.ccc.dka.ExchangeOperation.WriteMailbox;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** §11.7 EXCHANGE operations. */
class ExchangeOperationTest {
  /** T1 and default 7F4A sizes: private 1024, confidential 256 (§16, §17.4.1). */
  private static final MailboxSizes SIZES =
      MailboxSizes.of(
          EndpointCreationData.defaults(
              T1Vectors.VEHICLE_IDENTIFIER, 0x0101, T1Vectors.hex("key.vehicle.PK")));

  @Test
  void getReceiptIsE300AsInT1() {
    assertEquals("E300", Hex.encode(new GetReceipt().encode()));
    assertInstanceOf(GetReceipt.class, ExchangeOperation.parse(Hex.decode("E300"), SIZES));
  }

  @Test
  void readMailboxRoundTrips() {
    ReadMailbox read = new ReadMailbox(DkProfile.MAILBOX_PRIVATE, 0x0010, 0x0020);

    assertEquals("E10B800100810200108202 0020".replace(" ", ""), Hex.encode(read.encode()));
    assertEquals(read, ExchangeOperation.parse(read.encode(), SIZES));
  }

  @Test
  void writeMailboxRoundTripsUpTo200BytesWithinTheSmPlaintextLimit() {
    WriteMailbox small = new WriteMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 3, new byte[] {0x42});
    WriteMailbox large = new WriteMailbox(DkProfile.MAILBOX_PRIVATE, 0, new byte[200]);

    assertEquals("E20A80010181020003830142", Hex.encode(small.encode()));
    assertEquals(small, ExchangeOperation.parse(small.encode(), SIZES));
    assertEquals("E281D2800100810200008381C8", Hex.encode(large.encode()).substring(0, 26));
    assertEquals(large, ExchangeOperation.parse(large.encode(), SIZES));
    assertTrue(large.encode().length <= DkProfile.MAX_SM_PLAINTEXT);
    assertArrayEquals(
        new byte[200], ((WriteMailbox) ExchangeOperation.parse(large.encode())).data());
  }

  @Test
  void limitsAreEnforcedOnConstruction() {
    assertMalformed(() -> new ReadMailbox(0, 0, 0));
    assertMalformed(() -> new ReadMailbox(0, 0, 1025));
    assertMalformed(() -> new ReadMailbox(2, 0, 1));
    assertMalformed(() -> new ReadMailbox(0, 0x10000, 1));
    assertMalformed(() -> new WriteMailbox(0, 0, new byte[0]));
    assertMalformed(() -> new WriteMailbox(0, 0, new byte[201]));
    assertMalformed(() -> new WriteMailbox(0xFF, 0, new byte[1]));
  }

  @Test
  void deviceRejectsOperationsOutsideTheLimits() {
    List<String> bad =
        List.of(
            "E10B80010081020000820200 00".replace(" ", ""),
            "E10B800100810200008202 0401".replace(" ", ""),
            "E10B800102810200008202 0001".replace(" ", ""),
            "E20980010081020000 8300".replace(" ", ""),
            "E2 81D3 800100 81020000 8381C9".replace(" ", "") + "00".repeat(201),
            "E20A80010281020000830142");
    for (String data : bad) {
      assertMalformed(() -> ExchangeOperation.parse(Hex.decode(data)));
    }
  }

  @Test
  void deviceRejectsEverythingButExactlyOneKnownOperation() {
    List<String> bad =
        List.of(
            "",
            "E30100",
            "E300E300",
            "E400",
            "9000",
            "E3",
            "E10B8101008002000082020001",
            "E10C80020000810200008202 0001".replace(" ", ""),
            "E10E800100810200008202000183 0100".replace(" ", ""),
            "E107800100810200 00".replace(" ", ""),
            "E20780010081020000",
            "E20B8001008202000083020102");
    for (String data : bad) {
      assertMalformed(() -> ExchangeOperation.parse(Hex.decode(data)));
    }
  }

  @Test
  void mailboxBoundsAreCheckedAgainstTheGivenSizes() {
    new ReadMailbox(DkProfile.MAILBOX_PRIVATE, 0, 1024).checkBounds(SIZES);
    new ReadMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 255, 1).checkBounds(SIZES);
    new WriteMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 56, new byte[200]).checkBounds(SIZES);

    assertMalformed(() -> new ReadMailbox(DkProfile.MAILBOX_PRIVATE, 1, 1024).checkBounds(SIZES));
    assertMalformed(
        () -> new ReadMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 200, 57).checkBounds(SIZES));
    assertMalformed(
        () ->
            new WriteMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 57, new byte[200]).checkBounds(SIZES));
    assertMalformed(
        () ->
            ExchangeOperation.parse(
                new ReadMailbox(DkProfile.MAILBOX_CONFIDENTIAL, 0xFFFF, 1).encode(), SIZES));
  }

  private static void assertMalformed(Executable executable) {
    CccException e = assertThrows(CccException.class, executable);
    assertEquals(Failure.MALFORMED, e.failure(), e.getMessage());
  }
}
