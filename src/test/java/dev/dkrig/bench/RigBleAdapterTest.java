package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The BLE adapter a rig advertises on, as the run, its check and doctor all read it. */
class RigBleAdapterTest {
  private static final RigConfig BLE =
      RigConfig.load(ConfigSource.embedded("rigs/virtual-ble.yaml"));

  @Test
  @DisplayName("DKRIG_BLE_ADAPTER over the rig's bleAdapter; blank or unset leaves the rig's")
  void environmentOverRig() {
    assertEquals(Optional.of("hci0"), BLE.bleAdapter());
    assertEquals(Optional.of("hci1"), BLE.bleAdapter(Map.of("DKRIG_BLE_ADAPTER", "hci1")));
    assertEquals(Optional.of("hci0"), BLE.bleAdapter(Map.of("DKRIG_BLE_ADAPTER", " ")));
    assertEquals(Optional.of("hci0"), BLE.bleAdapter(Map.of()));
  }
}
