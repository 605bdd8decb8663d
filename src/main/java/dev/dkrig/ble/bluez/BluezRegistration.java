package dev.dkrig.ble.bluez;

import static dev.dkrig.ble.bluez.BluezAdvertiser.ADVERTISEMENT_PATH;
import static dev.dkrig.ble.bluez.BluezAdvertiser.APPLICATION_PATH;
import static dev.dkrig.ble.bluez.BluezErrors.busError;

import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ble.BleException;
import dev.dkrig.ble.bluez.BluezErrors.CallFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bluez.GattManager1;
import org.bluez.LEAdvertisingManager1;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What one start registered, so that stop (or a failed start) can take back exactly that. */
final class BluezRegistration {
  // The advertiser's logger: these lines read as the advertiser's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(BluezAdvertiser.class);

  /** bluetoothd sends Release before it answers UnregisterAdvertisement; this is ample. */
  private static final long RELEASE_WAIT_MS = 1000;

  private static final Map<String, Variant<?>> NO_OPTIONS = Map.of();

  private final AdvertisementObject advertisement;
  private final GattApplication application;
  private final List<String> exported = new ArrayList<>();
  private volatile boolean advertisementRegistered;
  private volatile boolean applicationRegistered;
  private volatile boolean unregistering;
  private final BluezAdapter bluez;
  private final DBusConnection connection;
  private final String adapter;
  private final String bluezOwner;
  private final AtomicInteger releases;

  BluezRegistration(
      BluezAdapter bluez, String bluezOwner, AtomicInteger releases, AdvertisingData data) {
    this.bluez = bluez;
    this.connection = bluez.connection();
    this.adapter = bluez.name();
    this.bluezOwner = bluezOwner;
    this.releases = releases;
    this.advertisement = new AdvertisementObject(ADVERTISEMENT_PATH, data, this::releaseFrom);
    this.application = new GattApplication(APPLICATION_PATH, data.spsmValue());
  }

  void register() {
    export(advertisement);
    try {
      call(
          LEAdvertisingManager1.class,
          "RegisterAdvertisement",
          new DBusPath(ADVERTISEMENT_PATH),
          NO_OPTIONS);
    } catch (CallFailure e) {
      throw refused("the advertisement", e);
    }
    advertisementRegistered = true;
    for (DBusInterface object : application.objects()) {
      export(object);
    }
    try {
      call(GattManager1.class, "RegisterApplication", new DBusPath(APPLICATION_PATH), NO_OPTIONS);
    } catch (CallFailure e) {
      throw refused("the GATT application", e);
    }
    applicationRegistered = true;
  }

  private void export(DBusInterface object) {
    try {
      connection.exportObject(object.getObjectPath(), object);
      exported.add(object.getObjectPath());
    } catch (DBusException e) {
      throw busError("exporting " + object.getObjectPath(), e);
    }
  }

  /** Takes back what was registered and exported; never throws. True when BlueZ confirmed. */
  boolean undo() {
    boolean confirmed = true;
    unregistering = true;
    if (advertisementRegistered) {
      advertisementRegistered = false;
      try {
        call(
            LEAdvertisingManager1.class,
            "UnregisterAdvertisement",
            new DBusPath(ADVERTISEMENT_PATH));
        // Release comes before the reply; waiting keeps the object exported to receive it.
        if (!advertisement.awaitRelease(RELEASE_WAIT_MS)) {
          LOG.debug("BLE: no Release from BlueZ within {} ms", RELEASE_WAIT_MS);
        }
      } catch (CallFailure e) {
        confirmed &= goneAlready(e, "the advertisement");
      }
    }
    if (applicationRegistered) {
      applicationRegistered = false;
      try {
        call(GattManager1.class, "UnregisterApplication", new DBusPath(APPLICATION_PATH));
      } catch (CallFailure e) {
        confirmed &= goneAlready(e, "the GATT application");
      }
    }
    for (int i = exported.size() - 1; i >= 0; i--) {
      try {
        connection.unExportObject(exported.get(i));
      } catch (RuntimeException e) {
        LOG.debug("BLE: unexporting {}: {}", exported.get(i), e.toString());
      }
    }
    exported.clear();
    return confirmed;
  }

  /** DoesNotExist: bluetoothd released it already (adapter off or gone); that is done too. */
  private boolean goneAlready(CallFailure e, String what) {
    if (e.name().endsWith(".DoesNotExist") || advertisement.released()) {
      return true;
    }
    LOG.warn("BLE: unregistering {}: {}", what, e.getMessage());
    return false;
  }

  /** Only bluetoothd may release; an unasked Release means the advertisement is gone. */
  private boolean releaseFrom(String caller) {
    if (!bluezOwner.equals(caller)) {
      LOG.warn("BLE: ignored Release from {}, not BlueZ ({})", caller, bluezOwner);
      return false;
    }
    if (!unregistering) {
      LOG.warn("BLE: BlueZ released the advertisement on {} (adapter off or removed?)", adapter);
    }
    releases.incrementAndGet();
    return true;
  }

  private void call(Class<? extends DBusInterface> type, String method, Object... args)
      throws CallFailure {
    bluez.call(type, method, args);
  }

  private BleException refused(String what, CallFailure e) {
    return BluezErrors.refused(adapter, what, e);
  }
}
