package dev.dkrig.ble.bluez;

import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ccc.DkProfile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bluez.LEAdvertisement1;
import org.freedesktop.dbus.types.Variant;

/**
 * The pairing-mode advertisement as a BlueZ {@code LEAdvertisement1} object: exactly the four
 * properties of §14.1, from which bluetoothd builds the 28 bytes of §17.4.12.
 */
final class AdvertisementObject extends DbusProperties implements LEAdvertisement1 {
  static final String INTERFACE = "org.bluez.LEAdvertisement1";

  private final Predicate<String> fromBluez;
  private final CountDownLatch released = new CountDownLatch(1);

  /**
   * @param fromBluez given the unique name of a Release caller, accepts it when it is bluetoothd
   *     (anyone on the bus could call the method)
   */
  AdvertisementObject(String path, AdvertisingData data, Predicate<String> fromBluez) {
    super(INTERFACE, path, propertiesOf(data));
    this.fromBluez = fromBluez;
  }

  /** §14.1 with BlueZ: Type, ServiceUUIDs, ServiceData, Discoverable; nothing else. */
  static Map<String, Variant<?>> propertiesOf(AdvertisingData data) {
    Map<String, Variant<?>> serviceData = new LinkedHashMap<>();
    serviceData.put(DkProfile.BLE_INTENT_SERVICE_UUID, new Variant<>(data.intentServiceData()));
    Map<String, Variant<?>> properties = new LinkedHashMap<>();
    // Connectable undirected advertising (ADV_IND) is BlueZ's "peripheral".
    properties.put("Type", new Variant<>("peripheral"));
    properties.put("ServiceUUIDs", new Variant<>(new String[] {DkProfile.BLE_SERVICE_UUID}));
    properties.put("ServiceData", new Variant<>(serviceData, "a{sv}"));
    // Flags 02 01 06 [profile]: BlueZ sets LE General Discoverable from this property, and BR/EDR
    // Not Supported itself (LE-only controller, or the adapter not discoverable).
    properties.put("Discoverable", new Variant<>(Boolean.TRUE));
    return properties;
  }

  @Override
  public void Release() {
    if (fromBluez.test(BluezAdvertiser.callerOfCurrentCall())) {
      released.countDown();
    }
  }

  boolean released() {
    return released.getCount() == 0;
  }

  boolean awaitRelease(long millis) {
    try {
      return released.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return released.getCount() == 0;
    }
  }
}
