package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.transport.acr122u.FrameLimits;
import dev.dkrig.transport.pn532.Pn532FrameLimits;
import dev.dkrig.transport.pn532.Pn532FrameLimits.Form;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Where the profile meets the transports: the transports import no {@link DkProfile}, so the bench
 * gives them the contract's numbers and this test checks that those numbers fit their frames.
 */
class ProfileMeetsTransportTest {

  @Test
  @DisplayName("§3.2: the contract's longest APDUs, 254 bytes out and 250 back")
  void contractSizes() {
    assertEquals(254, DkProfile.MAX_COMMAND_APDU);
    assertEquals(250, DkProfile.MAX_RESPONSE_APDU);
  }

  @Test
  @DisplayName("§3.2: every contract APDU fits the ACR122U's Mode A; the longest not Mode B")
  void acr122u() {
    FrameLimits.Fit fit = FrameLimits.fit(DkProfile.MAX_COMMAND_APDU);
    assertTrue(fit.modeA());
    assertFalse(fit.modeB());
    assertEquals(5, FrameLimits.isoDepBlocks(DkProfile.MAX_RESPONSE_APDU, 64));
  }

  @Test
  @DisplayName("§3.2: the longest command needs a PN532 extended frame; the longest answer fits")
  void pn532() {
    assertEquals(Form.EXTENDED, Pn532FrameLimits.formFor(DkProfile.MAX_COMMAND_APDU));
    assertEquals(Form.NORMAL, Pn532FrameLimits.formFor(DkProfile.MAX_RESPONSE_APDU));
  }

  @Test
  @DisplayName("§13: the shipped pn532-uart rig drives the board with T_Apdu 5 s at 115200 baud")
  void shippedPn532Rig() {
    RigConfig rig = RigConfig.load(ConfigSource.embedded("rigs/pn532-uart.yaml"));
    Pn532UartSettings settings = rig.pn532().orElseThrow();
    assertEquals(Duration.ofSeconds(5), settings.apduTimeout());
    assertEquals(DkProfile.T_APDU, settings.apduTimeout());
    assertEquals(115200, settings.baudRate());
  }
}
