package dev.dkrig.pairing;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;

/**
 * The vehicle's pairing mode (§13, §14): BLE advertising with the owner-pairing intent and
 * T_PairingModeTimeout. It ends at P2.3 PASS, at a failure, and always on the way out.
 */
final class PairingMode {
  private final Advertiser ble;
  private final Timers timers;
  private final RigClock clock;
  private final RunListener listener;

  PairingMode(Advertiser ble, Timers timers, RigClock clock, RunListener listener) {
    this.ble = ble;
    this.timers = timers;
    this.clock = clock;
    this.listener = listener;
  }

  boolean bleEnabled() {
    return ble.enabled();
  }

  /** How the advertiser describes itself ({@code ", adapter hci0"} or why BLE is off). */
  String describeBle() {
    return ble.describe();
  }

  /** P1.6.2: advertising FFF5 with intent 01 and the brand (§14.1). */
  void startAdvertising(byte[] brand, int spsm) {
    ble.start(new AdvertisingData(brand, spsm));
  }

  /** Tells the listeners that advertising started. */
  void advertisingStarted(byte[] brand) {
    listener.advertising(
        clock.now(), true, "FFF5 + intent 01, brand " + Hex.encode(brand) + ble.describe());
  }

  boolean advertising() {
    return ble.advertising();
  }

  /** Pairing mode ends: its timer stops and advertising stops. */
  void stop() {
    timers.stop(TimerName.T_PairingModeTimeout);
    if (ble.advertising()) {
      ble.stop();
      listener.advertising(clock.now(), false, "pairing mode ended");
    }
  }
}
