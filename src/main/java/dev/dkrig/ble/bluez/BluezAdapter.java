package dev.dkrig.ble.bluez;

import static dev.dkrig.ble.bluez.BluezAdvertiser.ADAPTER;
import static dev.dkrig.ble.bluez.BluezAdvertiser.BLUEZ;
import static dev.dkrig.ble.bluez.BluezAdvertiser.DEFAULT_SYSTEM_BUS;
import static dev.dkrig.ble.bluez.BluezAdvertiser.ENV_SYSTEM_BUS;
import static dev.dkrig.ble.bluez.BluezAdvertiser.GATT_MANAGER;
import static dev.dkrig.ble.bluez.BluezAdvertiser.LE_ADVERTISING_MANAGER;
import static dev.dkrig.ble.bluez.BluezErrors.busError;
import static dev.dkrig.ble.bluez.BluezErrors.errorName;
import static dev.dkrig.ble.bluez.BluezErrors.errorText;
import static dev.dkrig.ble.bluez.BluezErrors.rootCause;

import dev.dkrig.ble.BleException;
import dev.dkrig.ble.BleException.Kind;
import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ble.bluez.BluezErrors.CallFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BlueZ adapter on the system bus, for {@link BluezAdvertiser}: finding the bus, BlueZ and the
 * adapter (read-only), probing it for {@code dkrig doctor}, powering it on and reading the address
 * it advertises from; method calls on it report D-Bus errors by name ({@link BluezErrors}).
 */
final class BluezAdapter {
  // The advertiser's logger: these lines read as the advertiser's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(BluezAdvertiser.class);

  private static final long POWER_WAIT_MS = 3000;

  /** libdbus's default is 25 s; bluetoothd answers registrations in milliseconds. */
  private static final long CALL_TIMEOUT_MS = 10_000;

  private static final long POLL_MS = 20;

  private final DBusConnection connection;
  private final String adapter;
  private final String adapterPath;
  private final Optional<VehicleIdentity> vehicle;
  private final BluezHostFiles host;

  BluezAdapter(
      DBusConnection connection,
      String adapter,
      Optional<VehicleIdentity> vehicle,
      BluezHostFiles host) {
    this.connection = connection;
    this.adapter = adapter;
    this.adapterPath = "/org/bluez/" + adapter;
    this.vehicle = vehicle;
    this.host = host;
  }

  /** The adapter's name, e.g. {@code hci0}. */
  String name() {
    return adapter;
  }

  DBusConnection connection() {
    return connection;
  }

  // ---------------------------------------------------------------- discovery

  static String resolveBusAddress(Optional<String> busAddress) {
    return busAddress
        .filter(a -> !a.isBlank())
        .or(() -> Optional.ofNullable(System.getenv(ENV_SYSTEM_BUS)).filter(a -> !a.isBlank()))
        .orElse(DEFAULT_SYSTEM_BUS);
  }

  static DBusConnection connect(String address) {
    try {
      return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    } catch (DBusException | RuntimeException e) {
      throw new BleException(
          Kind.NO_SYSTEM_BUS,
          "no D-Bus system bus at " + address + " (" + rootCause(e) + ")",
          "start D-Bus (sudo systemctl start dbus) or set " + ENV_SYSTEM_BUS,
          e);
    }
  }

  static String bluezOwner(DBusConnection connection, String address) {
    try {
      DBus bus =
          connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
      if (!bus.NameHasOwner(BLUEZ)) {
        throw new BleException(
            Kind.NO_BLUEZ,
            "BlueZ (org.bluez) is not on the D-Bus system bus " + address,
            "start bluetoothd (sudo systemctl start bluetooth)");
      }
      return bus.GetNameOwner(BLUEZ);
    } catch (DBusException | DBusExecutionException e) {
      throw busError("asking the bus for org.bluez", e);
    }
  }

  static String chooseAdapter(DBusConnection connection, Optional<String> wanted) {
    Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects;
    try {
      objects = connection.getRemoteObject(BLUEZ, "/", ObjectManager.class).GetManagedObjects();
    } catch (DBusException | DBusExecutionException e) {
      throw busError("listing BlueZ's objects", e);
    }
    // name -> interfaces, in name order so that "the first adapter" is stable
    Map<String, Set<String>> adapters = new TreeMap<>();
    objects.forEach(
        (path, interfaces) -> {
          String p = path.getPath();
          if (interfaces.containsKey(ADAPTER) && p.startsWith("/org/bluez/")) {
            adapters.put(p.substring("/org/bluez/".length()), interfaces.keySet());
          }
        });
    String fix = "plug in an LE-capable adapter and check bluetoothctl list";
    if (wanted.isPresent()) {
      String name = wanted.get();
      Set<String> interfaces = adapters.get(name);
      if (interfaces == null) {
        throw new BleException(
            Kind.NO_ADAPTER,
            "no Bluetooth adapter "
                + name
                + (adapters.isEmpty() ? "; BlueZ has none" : "; BlueZ has " + adapters.keySet()),
            fix);
      }
      requireLe(name, interfaces);
      return name;
    }
    if (adapters.isEmpty()) {
      throw new BleException(Kind.NO_ADAPTER, "BlueZ has no Bluetooth adapter", fix);
    }
    for (Map.Entry<String, Set<String>> entry : adapters.entrySet()) {
      if (entry.getValue().contains(LE_ADVERTISING_MANAGER)
          && entry.getValue().contains(GATT_MANAGER)) {
        return entry.getKey();
      }
    }
    String first = adapters.keySet().iterator().next();
    requireLe(first, adapters.get(first));
    return first;
  }

  private static void requireLe(String name, Set<String> interfaces) {
    for (String needed : List.of(LE_ADVERTISING_MANAGER, GATT_MANAGER)) {
      if (!interfaces.contains(needed)) {
        throw new BleException(
            Kind.NO_LE_ADVERTISING,
            name + " offers no " + needed + " (a BR/EDR-only controller, or LE turned off)",
            "use an LE adapter (-a / ble adapter) or set ControllerMode = dual or le in"
                + " /etc/bluetooth/main.conf");
      }
    }
  }

  // ---------------------------------------------------------------- probing and power

  void powerOn() {
    Properties adapterProperties = remote(adapterPath, Properties.class);
    if (isPowered(adapterProperties)) {
      return;
    }
    if ("off-blocked".equals(powerState(adapterProperties).orElse(""))) {
      throw new BleException(
          Kind.ADAPTER_OFF,
          adapter + " is powered off and blocked by rfkill",
          "rfkill unblock bluetooth (or the radio's hardware switch)");
    }
    try {
      adapterProperties.Set(ADAPTER, "Powered", Boolean.TRUE);
    } catch (DBusExecutionException e) {
      throw new BleException(
          Kind.ADAPTER_OFF,
          adapter + " is powered off and BlueZ could not power it on: " + errorText(e),
          "check rfkill list and bluetoothctl power on",
          e);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POWER_WAIT_MS);
    while (!isPowered(adapterProperties)) {
      if (System.nanoTime() > deadline) {
        throw new BleException(
            Kind.ADAPTER_OFF,
            adapter + " did not power on within " + POWER_WAIT_MS + " ms",
            "check rfkill list and bluetoothctl power on");
      }
      pause();
    }
    LOG.info("BLE: powered {} on", adapter);
  }

  private static boolean isPowered(Properties adapterProperties) {
    Object powered = adapterProperties.Get(ADAPTER, "Powered");
    return Boolean.TRUE.equals(powered);
  }

  /** {@code PowerState} is experimental in BlueZ 5.6x; older daemons do not have it. */
  private static Optional<String> powerState(Properties adapterProperties) {
    try {
      Object state = adapterProperties.Get(ADAPTER, "PowerState");
      return Optional.ofNullable(state).map(String::valueOf);
    } catch (DBusExecutionException e) {
      return Optional.empty();
    }
  }

  AdvertisedAddress describeAddress() {
    Properties adapterProperties = remote(adapterPath, Properties.class);
    String identity = String.valueOf(adapterProperties.<Object>Get(ADAPTER, "Address"));
    String type = String.valueOf(adapterProperties.<Object>Get(ADAPTER, "AddressType"));
    return AdvertisedAddress.of(
        identity, type, host.privacy(), host.identityResolvingKey(identity), vehicle);
  }

  BluezReadiness readiness() {
    Properties adapterProperties = remote(adapterPath, Properties.class);
    boolean powered = isPowered(adapterProperties);
    Optional<String> state = powerState(adapterProperties);
    Object active = adapterProperties.Get(LE_ADVERTISING_MANAGER, "ActiveInstances");
    Object supported = adapterProperties.Get(LE_ADVERTISING_MANAGER, "SupportedInstances");
    AdvertisedAddress where = describeAddress();
    String finding =
        adapter
            + " "
            + where.identityAddress()
            + (powered ? ": powered" : ": powered off")
            + ", LE advertising ("
            + active
            + " of "
            + supported
            + " instances in use), GATT server; would advertise from the "
            + where.text();
    if (!powered && "off-blocked".equals(state.orElse(""))) {
      return new BluezReadiness(
          BluezReadiness.Level.NOT_READY,
          finding.replace(": powered off", ": blocked by rfkill"),
          Optional.of("rfkill unblock bluetooth (or the radio's hardware switch)"));
    }
    if (Integer.parseInt(String.valueOf(active)) >= Integer.parseInt(String.valueOf(supported))) {
      return new BluezReadiness(
          BluezReadiness.Level.NOT_READY,
          finding,
          Optional.of("every advertising instance is taken: stop the other advertisers"));
    }
    if (!where.asContracted()) {
      return new BluezReadiness(
          BluezReadiness.Level.WARN,
          finding,
          Optional.of(
              "for §14.1, set Privacy = device in /etc/bluetooth/main.conf and the vehicle IRK as"
                  + " IdentityResolvingKey in /var/lib/bluetooth/"
                  + where.identityAddress()
                  + "/identity, then restart bluetoothd; or Privacy = off for the identity"
                  + " address"));
    }
    return new BluezReadiness(BluezReadiness.Level.READY, finding, Optional.empty());
  }

  // ---------------------------------------------------------------- D-Bus calls

  /**
   * A method call on the adapter that reports a D-Bus error by its name: dbus-java 5.2 turns error
   * names it has no exception class for (all of {@code org.bluez.Error.*}) into a bare
   * DBusExecutionException, and the name is what tells NotPermitted from Failed.
   */
  void call(Class<? extends DBusInterface> type, String method, Object... args) throws CallFailure {
    Message answer;
    try {
      DBusAsyncReply<?> pending =
          connection.callMethodAsync(remote(adapterPath, type), method, args);
      answer = pending.getCall().getReply(CALL_TIMEOUT_MS);
    } catch (RuntimeException e) {
      throw new CallFailure(errorName(e), String.valueOf(e.getMessage()));
    }
    if (answer == null) {
      throw new CallFailure(
          "org.freedesktop.DBus.Error.NoReply", "no reply within " + CALL_TIMEOUT_MS + " ms");
    }
    if (answer instanceof org.freedesktop.dbus.messages.Error error) {
      String text = "";
      try {
        Object[] parameters = error.getParameters();
        if (parameters != null && parameters.length > 0) {
          text = String.valueOf(parameters[0]);
        }
      } catch (DBusException e) {
        text = "(unreadable error text)";
      }
      throw new CallFailure(error.getName(), text);
    }
  }

  <T extends DBusInterface> T remote(String path, Class<T> type) {
    try {
      return connection.getRemoteObject(BLUEZ, path, type);
    } catch (DBusException e) {
      throw busError("reaching " + path, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BleException(Kind.ADAPTER_OFF, "interrupted while powering on", null, e);
    }
  }
}
