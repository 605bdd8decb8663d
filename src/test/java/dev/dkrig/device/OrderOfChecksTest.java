package dev.dkrig.device;

import static dev.dkrig.device.TestVehicle.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.Draws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.FixedClock;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * §18.10: the device answers the first failing check, in the order length → CLA → INS → CLA 84
 * without keys → P1/P2 → state → MAC → content; and the general APDU rules of §3.2.
 */
class OrderOfChecksTest {
  private static final String SELECT_FRAMEWORK = "00A404000DA000000809434343444B46763100";

  private static TestVehicle selected() {
    TestVehicle vehicle = TestVehicle.withT1Device();
    vehicle.selectFramework();
    return vehicle;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // extended length, with a CLA that would also be refused
        "FFA4040000000DA000000809434343444B467631",
        // Lc larger than the data
        "00A404000EA000000809434343444B467631",
        // Lc smaller than the data plus Le
        "00A404000CA000000809434343444B46763100",
        // fewer than four bytes
        "00A404"
      })
  void lengthComesFirst(String command) {
    assertEquals(StatusWord.WRONG_LENGTH, selected().sw(command));
  }

  @ParameterizedTest
  @ValueSource(strings = {"803C100100", "803C1001021111", "803C01000100", "FF3C100100"})
  void controlFlowWithDataOrLeIs6700(String command) {
    TestVehicle vehicle = selected();
    assertEquals(StatusWord.WRONG_LENGTH, vehicle.sw(command));
  }

  @Test
  void claComesBeforeIns() {
    assertEquals(StatusWord.CLA_NOT_SUPPORTED, selected().sw("90FF0000"));
    assertEquals(
        StatusWord.CLA_NOT_SUPPORTED, selected().sw("10A404000DA000000809434343444B467631"));
  }

  @Test
  void insComesBeforeTheKeyCheck() {
    assertEquals(StatusWord.INS_NOT_SUPPORTED, selected().sw("84FF0000"));
    assertEquals(StatusWord.INS_NOT_SUPPORTED, selected().sw("8080000000"));
  }

  @Test
  void aClaThatDoesNotFitTheInsIs6E00() {
    assertEquals(
        StatusWord.CLA_NOT_SUPPORTED,
        selected()
            .sw(
                "00300000315B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
                    + "C10400001000C2020008C3020001D602000100"));
    assertEquals(StatusWord.CLA_NOT_SUPPORTED, selected().sw("843C1001"));
    assertEquals(StatusWord.CLA_NOT_SUPPORTED, selected().sw("80D400000100"));
  }

  @Test
  void cla84WithoutKeysComesBeforeP1P2() {
    assertEquals(
        StatusWord.CONDITIONS_NOT_SATISFIED, selected().sw("84D4400008000000000000000000"));
  }

  @Test
  void p1p2ComesBeforeState() {
    TestVehicle vehicle = selected();
    String verifyWithBadP1P2 =
        Hex.encode(Vectors.transcript().get(2).command()).replaceFirst("^80320000", "80320101");
    assertEquals(StatusWord.WRONG_P1P2, vehicle.sw(verifyWithBadP1P2));
    TestVehicle inDataDone = TestVehicle.withT1Device().toDataDone();
    expect(
        StatusWord.WRONG_P1P2,
        inDataDone.send(
            inDataDone.framework.protectCommand(Ins.WRITE_DATA, 0x40, 0x00, Bytes.of(1))));
  }

  @Test
  void stateComesBeforeMac() {
    TestVehicle vehicle = TestVehicle.withT1Device().toDataDone();
    byte[] command =
        vehicle.framework.protectCommand(Ins.WRITE_DATA, 0x00, 0x00, Bytes.of(1)).bytes();
    command[command.length - 2] ^= 0x01;
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.send(command));
  }

  @Test
  void macComesBeforeContent() {
    TestVehicle vehicle = TestVehicle.withT1Device().toTx2();
    byte[] command =
        vehicle.framework.protectCommand(Ins.GET_DATA, 0x00, 0x00, Bytes.u16(0x1234)).bytes();
    command[command.length - 2] ^= 0x01;
    expect(StatusWord.SECURITY_STATUS, vehicle.send(command));
  }

  @Test
  void anyCommandButSelectWithNoApplicationSelectedIs6985() {
    TestVehicle vehicle = TestVehicle.withT1Device();
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw("803C1001"));
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw("80FF0000"));
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw("84CA0000080000000000000000"));
  }

  @Test
  void selectWithOtherP1P2Is6B00AndResetsTheSelectedApplication() {
    TestVehicle vehicle = TestVehicle.withT1Device().toSecure();
    assertEquals(StatusWord.WRONG_P1P2, vehicle.sw("00A404040DA000000809434343444B46763100"));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    assertEquals(StatusWord.WRONG_P1P2, vehicle.sw("00A400000DA000000809434343444B46763100"));
  }

  @Test
  void selectWithAProprietaryClaIs6E00() {
    assertEquals(
        StatusWord.CLA_NOT_SUPPORTED,
        TestVehicle.withT1Device().sw("80A404000DA000000809434343444B46763100"));
  }

  @Test
  void case4CommandsAreAcceptedWithoutLe() {
    TestVehicle vehicle = TestVehicle.withT1Device();
    assertEquals(
        "5A04010101005C0401010100D401029000",
        Hex.encode(vehicle.device.process(Hex.decode(SELECT_FRAMEWORK.substring(0, 36)))));
  }

  @Test
  void anErrorStatusResetsTheFramework() {
    TestVehicle vehicle = TestVehicle.withT1Device().toSecure();
    assertEquals(StatusWord.INS_NOT_SUPPORTED, vehicle.sw("80FF0000"));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void aDeviceThatIsNotActivatedStaysSilent() {
    VirtualDevice device = VirtualDeviceT1Test.t1Device();
    assertNull(device.process(Hex.decode(SELECT_FRAMEWORK)));
    device.activate();
    device.deactivate();
    assertNull(device.process(Hex.decode(SELECT_FRAMEWORK)));
  }

  @Test
  void aNullCommandIs6700() {
    VirtualDevice device = VirtualDeviceT1Test.t1Device();
    device.activate();
    assertEquals("6700", Hex.encode(device.process(null)));
  }

  @Test
  void anUnexpectedFailureBecomesAStatusWordAndTheDeviceCarriesOn() {
    Draws broken =
        new Draws() {
          private final TestModeDraws t1 = new TestModeDraws();

          @Override
          public BigInteger scalar(String name) {
            if (name.equals(Draws.Names.ENDPOINT_KEY)) {
              throw new IllegalStateException("no entropy today");
            }
            return t1.scalar(name);
          }

          @Override
          public byte[] bytes(String name, int length) {
            return t1.bytes(name, length);
          }
        };
    FixedClock clock = new FixedClock(T1Material.DEVICE_CLOCK);
    TestVehicle vehicle =
        new TestVehicle(new VirtualDevice(DeviceSettings.t1(), broken, clock, clock)).toDataDone();
    assertEquals(0, vehicle.device.unexpectedFailures());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.opControlFlow(0x1001));
    assertEquals(1, vehicle.device.unexpectedFailures(), "counted, so fuzz tests can see it");
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
  }
}
