package dev.dkrig.ble.bluez;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ble.BleException;
import dev.dkrig.ble.VehicleIdentity;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing-mode advertising and the GATT service of §14 through BlueZ on the D-Bus system bus
 * (bench-and-ci notes §4): an {@code LEAdvertisement1} with exactly the properties of §14.1
 * registered with the adapter's {@code LEAdvertisingManager1}, and a GATT application (primary
 * service FFF5, read characteristic Vehicle SPSM) registered with its {@code GattManager1}.
 *
 * <p>{@link #open} connects and picks the adapter (read-only); {@link #start} powers the adapter on
 * and registers; {@link #stop} unregisters both and unexports, from any thread and after any
 * failure, and never throws; {@link #close} also leaves the bus. Whatever goes wrong while
 * stopping, the fallback is to leave the bus: bluetoothd drops every advertisement and application
 * of a client whose connection goes away, so nothing of the rig outlives it.
 *
 * <p>The adapter itself (finding it, probing it, powering it on, calls that report D-Bus errors by
 * name) is {@link BluezAdapter}; what one start registered is a {@link BluezRegistration}; D-Bus
 * errors become {@link BleException}s in {@link BluezErrors}.
 */
public final class BluezAdvertiser implements Advertiser {
  private static final Logger LOG = LoggerFactory.getLogger(BluezAdvertiser.class);

  /** The variable libdbus and dbus-java read for the system bus address. */
  public static final String ENV_SYSTEM_BUS = "DBUS_SYSTEM_BUS_ADDRESS";

  static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
  static final String BLUEZ = "org.bluez";
  static final String ADAPTER = "org.bluez.Adapter1";
  static final String LE_ADVERTISING_MANAGER = "org.bluez.LEAdvertisingManager1";
  static final String GATT_MANAGER = "org.bluez.GattManager1";
  static final String OBJECT_ROOT = "/dev/dkrig/ble";
  static final String ADVERTISEMENT_PATH = OBJECT_ROOT + "/advertisement0";
  static final String APPLICATION_PATH = OBJECT_ROOT + "/app";

  /** How long stop() waits for a start() in progress before it leaves the bus instead. */
  private static final long STOP_WAIT_MS = 5000;

  private volatile long stopWaitMillis = STOP_WAIT_MS;

  private final DBusConnection connection;
  private final String busAddress;
  private final String adapter;
  private final String bluezOwner;
  private final BluezAdapter bluez;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private BluezRegistration registration;

  private volatile boolean advertising;
  private volatile boolean closed;
  private volatile AdvertisedAddress address;
  private final AtomicInteger releases = new AtomicInteger();

  private BluezAdvertiser(
      DBusConnection connection,
      String busAddress,
      String adapter,
      String bluezOwner,
      Optional<VehicleIdentity> vehicle,
      BluezHostFiles host) {
    this.connection = connection;
    this.busAddress = busAddress;
    this.adapter = adapter;
    this.bluezOwner = bluezOwner;
    this.bluez = new BluezAdapter(connection, adapter, vehicle, host);
  }

  /**
   * Connects to the system bus and picks the adapter; changes nothing yet.
   *
   * @param adapter {@code hci0} and the like; empty: the first adapter with LE advertising
   * @param busAddress a D-Bus address; empty: {@code $DBUS_SYSTEM_BUS_ADDRESS}, else the standard
   *     system bus socket
   * @throws BleException NO_SYSTEM_BUS, NO_BLUEZ, NO_ADAPTER, NO_LE_ADVERTISING or BUS_ERROR
   */
  public static BluezAdvertiser open(Optional<String> adapter, Optional<String> busAddress) {
    return open(adapter, busAddress, Optional.empty());
  }

  /**
   * As {@link #open(Optional, Optional)}, with the vehicle's 7F49 identity so that {@link
   * #advertisedAddress()} can say whether the address is the one the device expects.
   */
  public static BluezAdvertiser open(
      Optional<String> adapter, Optional<String> busAddress, Optional<VehicleIdentity> vehicle) {
    return open(adapter, busAddress, vehicle, BluezHostFiles.system());
  }

  static BluezAdvertiser open(
      Optional<String> adapter,
      Optional<String> busAddress,
      Optional<VehicleIdentity> vehicle,
      BluezHostFiles host) {
    String address = BluezAdapter.resolveBusAddress(busAddress);
    DBusConnection connection = BluezAdapter.connect(address);
    try {
      String owner = BluezAdapter.bluezOwner(connection, address);
      String chosen = BluezAdapter.chooseAdapter(connection, adapter);
      BluezAdvertiser advertiser =
          new BluezAdvertiser(connection, address, chosen, owner, vehicle, host);
      LOG.debug("BLE: BlueZ {} on {}, adapter {}", owner, address, chosen);
      return advertiser;
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * The {@code dkrig doctor} check: is there an adapter, is it powered (or powerable), does it
   * offer LE advertising and a GATT server, and which address would it advertise from. Read-only.
   */
  public static BluezReadiness probe(Optional<String> adapter, Optional<String> busAddress) {
    return probe(adapter, busAddress, Optional.empty(), BluezHostFiles.system());
  }

  /** As {@link #probe(Optional, Optional)}, also comparing the address with 7F49's. */
  public static BluezReadiness probe(
      Optional<String> adapter, Optional<String> busAddress, Optional<VehicleIdentity> vehicle) {
    return probe(adapter, busAddress, vehicle, BluezHostFiles.system());
  }

  static BluezReadiness probe(
      Optional<String> adapter,
      Optional<String> busAddress,
      Optional<VehicleIdentity> vehicle,
      BluezHostFiles host) {
    try (BluezAdvertiser advertiser = open(adapter, busAddress, vehicle, host)) {
      return advertiser.bluez.readiness();
    } catch (BleException e) {
      return new BluezReadiness(BluezReadiness.Level.NOT_READY, e.problem(), e.fix());
    }
  }

  /** The adapter in use, e.g. {@code hci0}. */
  public String adapter() {
    return adapter;
  }

  /** Tests: a shorter wait for a start in progress. */
  void stopWait(long millis) {
    stopWaitMillis = millis;
  }

  /** Tests: a start (or stop) holds the lock. */
  boolean busy() {
    return lock.isLocked();
  }

  /** How many times BlueZ released an advertisement of this advertiser (tests). */
  int releases() {
    return releases.get();
  }

  /** The rig's unique name on the bus: BlueZ's records name it as the owner. */
  String uniqueName() {
    return connection.getUniqueName();
  }

  /** For notes and reports: {@code BlueZ hci0 on unix:path=...}. */
  public String description() {
    return "BlueZ " + adapter + " on " + busAddress;
  }

  /** For P1.6.2's detail: the adapter and which address the advertisement used (§14.1). */
  @Override
  public String describe() {
    return " on " + adapter + advertisedAddress().map(a -> "; address: " + a).orElse("");
  }

  @Override
  public boolean enabled() {
    return true;
  }

  /**
   * Powers the adapter on if needed, then registers the advertisement and the GATT application. On
   * failure nothing stays registered or exported.
   *
   * @throws BleException ADAPTER_OFF, REGISTRATION_REFUSED, NO_LE_ADVERTISING or BUS_ERROR, with a
   *     one-line message
   * @throws IllegalStateException when already advertising or closed
   */
  @Override
  public void start(AdvertisingData data) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the BLE advertiser is closed");
      }
      if (registration != null) {
        throw new IllegalStateException("BLE advertising has already started");
      }
      BluezRegistration started = new BluezRegistration(bluez, bluezOwner, releases, data);
      registration = started;
      try {
        bluez.powerOn();
        started.register();
        address = bluez.describeAddress();
        advertising = true;
        LOG.info("BLE: advertising on {} from {}", adapter, address.text());
      } catch (RuntimeException e) {
        registration = null;
        if (!started.undo() && connection.isConnected()) {
          LOG.warn("BLE: BlueZ did not confirm the unregistration; leaving the bus so it drops it");
          closed = true;
          closeQuietly(connection);
        }
        throw e instanceof BleException ble
            ? ble
            : BluezErrors.busError("starting BLE advertising", e);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Unregisters the advertisement, then the GATT application, and unexports both. Idempotent, safe
   * from any thread (a shutdown hook included), never throws.
   */
  @Override
  public void stop() {
    // A shutdown hook may interrupt the run thread that then stops here: the unregistration must
    // still go out, so the flag waits until we are done.
    boolean interrupted = Thread.interrupted();
    try {
      boolean locked;
      try {
        locked = lock.tryLock(stopWaitMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
        locked = lock.tryLock();
      }
      if (!locked) {
        LOG.warn(
            "BLE: start still busy after {} ms; leaving the bus so that BlueZ drops the"
                + " registration",
            stopWaitMillis);
        advertising = false;
        closed = true;
        closeQuietly(connection);
        return;
      }
      try {
        BluezRegistration current = registration;
        registration = null;
        advertising = false;
        if (current == null) {
          return;
        }
        if (current.undo()) {
          LOG.info("BLE: advertising stopped on {}", adapter);
        } else if (connection.isConnected()) {
          LOG.warn("BLE: BlueZ did not confirm the unregistration; leaving the bus so it drops it");
          closed = true;
          closeQuietly(connection);
        }
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.warn("BLE: stopping failed: {}", e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True from a successful {@link #start} until {@link #stop}. */
  @Override
  public boolean advertising() {
    return advertising;
  }

  /** Stops, then leaves the bus. Idempotent. */
  @Override
  public void close() {
    stop();
    closed = true;
    closeQuietly(connection);
  }

  /**
   * Which address the last {@link #start} advertised from, as one line of text naming the kind
   * (resolvable private from the vehicle IRK, or identity) and the evidence; empty before the first
   * start. Kept after stop, for the report.
   */
  public Optional<String> advertisedAddress() {
    return Optional.ofNullable(address).map(AdvertisedAddress::text);
  }

  /** As {@link #advertisedAddress()}, structured. */
  public Optional<AdvertisedAddress> advertisedAddressDetail() {
    return Optional.ofNullable(address);
  }

  // ---------------------------------------------------------------- D-Bus plumbing

  /** The unique bus name of whoever made the call being served on this thread. */
  static String callerOfCurrentCall() {
    DBusCallInfo info = DBusConnection.getCallInfo();
    return info == null ? "" : String.valueOf(info.getSource());
  }

  private static void closeQuietly(DBusConnection connection) {
    try {
      if (connection.isConnected()) {
        connection.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("BLE: closing the D-Bus connection: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "BluezAdvertiser[" + adapter + ", " + (advertising ? "advertising" : "idle") + "]";
  }
}
