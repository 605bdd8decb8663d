package dev.dkrig.ccc.sm;

import static dev.dkrig.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §17.3 D2 and the secure-messaging intermediates of T1 (§17.4.6, §17.4.7), both roles. */
class SecureChannelVectorsTest {

  private static SessionKeys v1Keys() {
    return new SessionKeys(hex("17.1", "Kenc"), hex("17.1", "Kmac"), hex("17.1", "Krmac"));
  }

  @Test
  @DisplayName("D2: one framework WRITE DATA with plaintext 5F5F00, and its R-MAC")
  void d2() {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    CommandApdu command = vehicle.protectCommand(0xD4, 0x80, 0x00, Hex.decode("5F5F00"));
    assertArrayEquals(hex("17.3", "C-APDU"), command.bytes());
    assertArrayEquals(hex("17.3", "ICV"), vehicle.lastExchange().commandIcv());
    assertArrayEquals(hex("17.3", "C-MAC"), vehicle.lastExchange().cmac());

    SecureChannel device = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    assertArrayEquals(Hex.decode("5F5F00"), device.unprotectCommand(command));
    ResponseApdu response = device.protectResponse(new byte[0], 0x9000);
    assertArrayEquals(hex("17.3", "R-APDU"), response.bytes());
    assertArrayEquals(new byte[0], vehicle.unprotectResponse(response));
    assertEquals(2, vehicle.counter());
  }

  @Test
  @DisplayName("D2: the applet-style C-MAC covers MCV and ciphertext only")
  void d2AppletStyleMac() {
    byte[] ciphertext = Bytes.range(hex("17.3", "C-APDU"), 5, 21);
    byte[] mac = Crypto.cmac(hex("17.1", "Kmac"), new byte[16], ciphertext);
    assertEquals("31E76CEBE4B0439A", Hex.encode(Bytes.range(mac, 0, 8)));
  }

  /** One row of the §17.4.7 framework table plus the plaintexts that produced it. */
  private record Row(
      String commandHex,
      byte[] commandPlaintext,
      byte[] responsePlaintext,
      String icvCommand,
      String mcvIn,
      String cmac,
      String icvResponse,
      String rmac,
      int sw) {}

  private static List<Row> frameworkRows() {
    byte[] stream = hex("kcd.stream");
    byte[] h = hex("cert.H_Endpoint");
    byte[] e = hex("cert.E_InstanceCA");
    byte[] f = hex("cert.F_DeviceOemCA");
    byte[] status = Bytes.concat(Hex.decode("800100 8114"), hex("DK_identifier"));
    byte[] attestation =
        Bytes.concat(Hex.decode("5F5A81A6"), hex("att.5F5A_value"), Hex.decode("5F5F00"));
    List<Vectors.Exchange> t = Vectors.transcript();
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            t.get(3),
            Bytes.range(stream, 0, 239),
            new byte[0],
            "7D3272D1385042D6643A16A649DBE79E",
            "00000000000000000000000000000000",
            "0F837E8341369C84FC1BB6476F39C776",
            "",
            "9AE55FF3D77B17AD4B9EE2DAD476575F"));
    rows.add(
        row(
            t.get(4),
            Bytes.range(stream, 239, 478),
            new byte[0],
            "E5EF809EF9F56CEDDCEA0BAA4FC63E69",
            "0F837E8341369C84FC1BB6476F39C776",
            "533D471E2856D2ABBE1F4A582FB95514",
            "",
            "58956257A492BCF644856F732382894E"));
    rows.add(
        row(
            t.get(5),
            Bytes.range(stream, 478, 600),
            new byte[0],
            "A91A5B55CE7FE4CD6C94B087C54DFFF3",
            "533D471E2856D2ABBE1F4A582FB95514",
            "49B26FEB16894812C312A7960F512303",
            "",
            "4C568FE96F1B517D132B11A51A2AF71F"));
    rows.add(
        row(
            t.get(8),
            Hex.decode("7F26"),
            status,
            "55823CFF8DA58AA5312853D12EC896E1",
            "49B26FEB16894812C312A7960F512303",
            "C553A32DA5A281F03B24C1622C50DA0D",
            "3E770C9D142DA8CF656E44EA48F7CA59",
            "31700F14408EB6C14A6F22D33816ED07"));
    rows.add(
        row(
            t.get(9),
            Hex.decode("7F20"),
            Bytes.range(h, 0, 239),
            "504430CAA8FD91E33DB5B06182CE1996",
            "C553A32DA5A281F03B24C1622C50DA0D",
            "C88D384886A95EA7754F1CFE7F29825E",
            "6E24C9CE3B0473C59FC431FE59D0272F",
            "6CE4C117FA14130E675025592C08DED2"));
    rows.add(
        row(
            t.get(10),
            new byte[0],
            Bytes.range(h, 239, 478),
            "",
            "C88D384886A95EA7754F1CFE7F29825E",
            "72578879EADB5112DE5DD4872154BD85",
            "B05EA04355C23B148604A109AF4D9FDE",
            "2FA4341388E3521AC3637FA37B8DD708"));
    rows.add(
        row(
            t.get(11),
            new byte[0],
            Bytes.range(h, 478, h.length),
            "",
            "72578879EADB5112DE5DD4872154BD85",
            "08F934DD998310FD0BBD277432B49826",
            "716D0848EE854D4819FED319ABFF2EA9",
            "6232D985D6C1EFA24F2010AB39DA4D7F"));
    rows.add(
        row(
            t.get(12),
            Hex.decode("7F22"),
            Bytes.range(e, 0, 239),
            "B43F57CC4163F4B9CE7B74577941CE53",
            "08F934DD998310FD0BBD277432B49826",
            "E707549FF8579BB6D17FD85AA164E04E",
            "D85804F4033DF8ADB916BD6B0EFF17B2",
            "C11AB5417E79BCD62E3BAAB04D9C534E"));
    rows.add(
        row(
            t.get(13),
            new byte[0],
            Bytes.range(e, 239, e.length),
            "",
            "E707549FF8579BB6D17FD85AA164E04E",
            "34C2484D46C093573DFAD7CB9443CAE5",
            "8C68A10C5790119CA15664BE46350024",
            "D4DFA97BB537D4C7A6261EEED3A4E638"));
    rows.add(
        row(
            t.get(14),
            Hex.decode("7F24"),
            Bytes.range(f, 0, 239),
            "E8CAD0086FD9198F81DB98DEFAF6123C",
            "34C2484D46C093573DFAD7CB9443CAE5",
            "FCAD934ABBA61C0443E39B178403C014",
            "784CC0D6F13762C042D0CF0C66CE6183",
            "002481D5FF4E726496A1AAE0B8D7E227"));
    rows.add(
        row(
            t.get(15),
            new byte[0],
            Bytes.range(f, 239, f.length),
            "",
            "FCAD934ABBA61C0443E39B178403C014",
            "468B906717DA49BBBEEEA874E04E484E",
            "410354930E5F704D28F054A175404BFA",
            "50235B27ABCFF106586CB7D609A06EC3"));
    rows.add(
        row(
            t.get(16),
            attestation,
            new byte[0],
            "943E2F568B8BD2272BC8233AE14A442C",
            "468B906717DA49BBBEEEA874E04E484E",
            "77A7DF33BC592AA321DB56FE3942B432",
            "",
            "5C0BC354C360059C76968E852B403E93"));
    return rows;
  }

  private static Row row(
      Vectors.Exchange exchange,
      byte[] commandPlaintext,
      byte[] responsePlaintext,
      String icvCommand,
      String mcvIn,
      String cmac,
      String icvResponse,
      String rmac) {
    ResponseApdu response = ResponseApdu.parse(exchange.response());
    return new Row(
        Hex.encode(exchange.command()),
        commandPlaintext,
        responsePlaintext,
        icvCommand,
        mcvIn,
        cmac,
        icvResponse,
        rmac,
        response.sw());
  }

  @Test
  @DisplayName("T1 framework channel: every C-APDU, R-APDU and intermediate, both roles")
  void t1FrameworkChannel() {
    SessionKeys keys = new SessionKeys(hex("spake2.Kenc"), hex("spake2.Kmac"), hex("spake2.Krmac"));
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, keys);
    SecureChannel device = SecureChannel.open(ChannelKind.FRAMEWORK, keys);
    List<Vectors.Exchange> t = Vectors.transcript();
    int counter = 1;
    for (Row row : frameworkRows()) {
      CommandApdu expected = CommandApdu.parse(row.commandHex());
      CommandApdu command =
          vehicle.protectCommand(
              expected.ins(), expected.p1(), expected.p2(), row.commandPlaintext());
      assertEquals(row.commandHex(), Hex.encode(command.bytes()), "C-APDU ctr " + counter);
      SmExchange sm = vehicle.lastExchange();
      assertEquals(counter, sm.counter());
      assertEquals(row.icvCommand(), Hex.encode(sm.commandIcv()), "ICV(cmd) ctr " + counter);
      assertEquals(row.mcvIn(), Hex.encode(sm.mcvIn()), "MCV in ctr " + counter);
      assertEquals(row.cmac(), Hex.encode(sm.cmac()), "C-MAC ctr " + counter);

      assertArrayEquals(row.commandPlaintext(), device.unprotectCommand(command));
      ResponseApdu response = device.protectResponse(row.responsePlaintext(), row.sw());
      String expectedResponse =
          t.stream()
              .filter(x -> Hex.encode(x.command()).equals(row.commandHex()))
              .findFirst()
              .map(x -> Hex.encode(x.response()))
              .orElseThrow();
      assertEquals(expectedResponse, Hex.encode(response.bytes()), "R-APDU ctr " + counter);
      assertEquals(row.icvResponse(), Hex.encode(device.lastExchange().responseIcv()));
      assertEquals(row.rmac(), Hex.encode(device.lastExchange().rmac()), "R-MAC ctr " + counter);

      assertArrayEquals(row.responsePlaintext(), vehicle.unprotectResponse(response));
      assertEquals(row.rmac(), Hex.encode(vehicle.lastExchange().rmac()));
      counter++;
    }
  }

  @Test
  @DisplayName(
      "T1 applet channel, phase 4: AUTH1 response under c = 00, EXCHANGE E3 and GET RESPONSE")
  void t1AppletChannel() {
    SessionKeys keys = new SessionKeys(hex("p4.Kenc"), hex("p4.Kmac"), hex("p4.Krmac"));
    SecureChannel vehicle = SecureChannel.open(ChannelKind.APPLET, keys);
    SecureChannel device = SecureChannel.open(ChannelKind.APPLET, keys);
    List<Vectors.Exchange> t = Vectors.transcript();
    byte[] kts = hex("kts.KTS_Response");

    ResponseApdu auth1 = device.protectResponse(hex("p4.auth1_resp_plain"), 0x9000);
    assertArrayEquals(t.get(24).response(), auth1.bytes(), "phase-4 AUTH1 response");
    assertArrayEquals(hex("p4.auth1_resp_icv"), device.lastExchange().responseIcv());
    assertArrayEquals(hex("p4.auth1_resp_plain"), vehicle.unprotectResponse(auth1));

    CommandApdu exchange = vehicle.protectCommand(0xC9, 0x00, 0x00, Hex.decode("E300"));
    assertArrayEquals(t.get(25).command(), exchange.bytes(), "EXCHANGE E3 00");
    SmExchange sm = vehicle.lastExchange();
    assertEquals("5A552D3C045B556FF645373F7B9D25BA", Hex.encode(sm.commandIcv()));
    assertEquals("00000000000000000000000000000000", Hex.encode(sm.mcvIn()));
    assertEquals("C2059C4442C0DCDA6177F9065044996C", Hex.encode(sm.cmac()));
    assertArrayEquals(Hex.decode("E300"), device.unprotectCommand(exchange));
    ResponseApdu piece1 = device.protectResponse(Bytes.range(kts, 0, 239), 0x6128);
    assertArrayEquals(t.get(25).response(), piece1.bytes());
    assertEquals(
        "55256279E84529CDBCA6A03976E76BBD", Hex.encode(device.lastExchange().responseIcv()));
    assertEquals("3E296BC77A47739C5164D8E317635640", Hex.encode(device.lastExchange().rmac()));
    assertArrayEquals(Bytes.range(kts, 0, 239), vehicle.unprotectResponse(piece1));

    CommandApdu getResponse = vehicle.protectCommand(0xC0, 0x00, 0x00, new byte[0]);
    assertArrayEquals(t.get(26).command(), getResponse.bytes(), "GET RESPONSE");
    assertEquals("2B67E07FA39452AFD87873463440416F", Hex.encode(vehicle.lastExchange().cmac()));
    assertArrayEquals(new byte[0], device.unprotectCommand(getResponse));
    ResponseApdu piece2 = device.protectResponse(Bytes.range(kts, 239, kts.length), 0x9000);
    assertArrayEquals(t.get(26).response(), piece2.bytes());
    assertEquals(
        "409A61B8FE3870BA37D22AABFD522BAD", Hex.encode(device.lastExchange().responseIcv()));
    assertEquals("C93225355BE11826E27800207FDAC608", Hex.encode(device.lastExchange().rmac()));
    assertArrayEquals(Bytes.range(kts, 239, kts.length), vehicle.unprotectResponse(piece2));
  }

  @Test
  @DisplayName("T1 applet channel, phase 3: the AUTH1 response")
  void t1Phase3Auth1Response() {
    SessionKeys keys = new SessionKeys(hex("p3.Kenc"), hex("p3.Kmac"), hex("p3.Krmac"));
    SecureChannel device = SecureChannel.open(ChannelKind.APPLET, keys);
    ResponseApdu auth1 = device.protectResponse(hex("p3.auth1_resp_plain"), 0x9000);
    assertArrayEquals(Vectors.transcript().get(20).response(), auth1.bytes());
    assertArrayEquals(hex("p3.auth1_resp_icv"), device.lastExchange().responseIcv());
  }

  @Test
  @DisplayName("§6.1: a flipped bit anywhere in a protected response is caught (framework)")
  void badRmacFramework() {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    SecureChannel device = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    device.unprotectCommand(vehicle.protectCommand(0xCA, 0, 0, Hex.decode("7F26")));
    byte[] good = device.protectResponse(Hex.decode("800100"), 0x9000).bytes();
    for (int i = 0; i < good.length - 2; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      SecureChannel copy = replay(v1Keys(), Hex.decode("7F26"));
      CccException e =
          assertThrows(CccException.class, () -> copy.unprotectResponse(ResponseApdu.parse(bad)));
      assertEquals(CccException.Failure.SECURE_MESSAGING, e.failure());
    }
    // The framework R-MAC covers the status word: 9000 turned into 6100 is caught.
    SecureChannel copy = replay(v1Keys(), Hex.decode("7F26"));
    byte[] swFlipped = good.clone();
    swFlipped[swFlipped.length - 2] = 0x61;
    swFlipped[swFlipped.length - 1] = 0x00;
    assertThrows(CccException.class, () -> copy.unprotectResponse(ResponseApdu.parse(swFlipped)));
  }

  private static SecureChannel replay(SessionKeys keys, byte[] plaintext) {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, keys);
    vehicle.protectCommand(0xCA, 0, 0, plaintext);
    return vehicle;
  }

  @Test
  @DisplayName("§6.1: bad C-MAC in each channel is refused by the device, keys unchanged")
  void badCmac() {
    for (ChannelKind kind : ChannelKind.values()) {
      SecureChannel vehicle = SecureChannel.open(kind, v1Keys());
      SecureChannel device = SecureChannel.open(kind, v1Keys());
      if (kind == ChannelKind.APPLET) {
        vehicle.unprotectResponse(device.protectResponse(new byte[0], 0x9000));
      }
      byte[] command = vehicle.protectCommand(0xC9, 0, 0, Hex.decode("E300")).bytes();
      command[command.length - 2] ^= 0x40;
      CccException e =
          assertThrows(
              CccException.class, () -> device.unprotectCommand(CommandApdu.parse(command)));
      assertEquals(CccException.Failure.SECURE_MESSAGING, e.failure(), kind.name());
    }
  }

  @Test
  @DisplayName("§6.1: the applet channel's MACs do not cover the header (§18.17)")
  void appletMacIgnoresHeader() {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.APPLET, v1Keys());
    SecureChannel device = SecureChannel.open(ChannelKind.APPLET, v1Keys());
    vehicle.unprotectResponse(device.protectResponse(new byte[0], 0x9000));
    CommandApdu command = vehicle.protectCommand(0xC9, 0, 0, Hex.decode("E300"));
    CommandApdu otherP1 = new CommandApdu(0x84, 0xC9, 0x01, 0x00, command.data(), 0);
    assertArrayEquals(Hex.decode("E300"), device.unprotectCommand(otherP1));
  }

  @Test
  @DisplayName("§6.1: padding errors and ciphertext lengths")
  void paddingRules() {
    assertEquals(
        "5F5F0080000000000000000000000000", Hex.encode(SecureChannel.pad(Hex.decode("5F5F00"))));
    assertEquals(32, SecureChannel.pad(new byte[16]).length);
    assertArrayEquals(
        Hex.decode("5F5F00"), SecureChannel.unpad(SecureChannel.pad(Hex.decode("5F5F00"))));
    assertThrows(CccException.class, () -> SecureChannel.unpad(new byte[16]));
    assertThrows(
        CccException.class,
        () -> SecureChannel.unpad(Hex.decode("00000000000000000000000000000001")));
  }

  @Test
  @DisplayName("§6.1: the counter never passes FF")
  void counterLimit() {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    SecureChannel device = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    for (int c = 1; c <= 0xFF; c++) {
      device.unprotectCommand(vehicle.protectCommand(0xCA, 0, 0, Hex.decode("7F26")));
      vehicle.unprotectResponse(device.protectResponse(new byte[0], 0x9000));
    }
    CccException e =
        assertThrows(CccException.class, () -> vehicle.protectCommand(0xCA, 0, 0, new byte[2]));
    assertEquals(CccException.Failure.LIMIT, e.failure());
  }

  @Test
  void closedChannelRefusesWork() {
    SecureChannel vehicle = SecureChannel.open(ChannelKind.FRAMEWORK, v1Keys());
    vehicle.close();
    assertThrows(
        IllegalStateException.class, () -> vehicle.protectCommand(0xCA, 0, 0, new byte[2]));
  }
}
