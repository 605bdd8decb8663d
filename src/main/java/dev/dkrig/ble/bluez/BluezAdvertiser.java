package dev.dkrig.ble.bluez;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ble.BleException;
import dev.dkrig.ble.BleException.Kind;
import dev.dkrig.ble.VehicleIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.bluez.GattManager1;
import org.bluez.LEAdvertisingManager1;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.DBusCallInfo;
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

  /** bluetoothd sends Release before it answers UnregisterAdvertisement; this is ample. */
  private static final long RELEASE_WAIT_MS = 1000;

  /** How long stop() waits for a start() in progress before it leaves the bus instead. */
  private static final long STOP_WAIT_MS = 5000;

  private volatile long stopWaitMillis = STOP_WAIT_MS;

  private static final long POWER_WAIT_MS = 3000;

  /** libdbus's default is 25 s; bluetoothd answers registrations in milliseconds. */
  private static final long CALL_TIMEOUT_MS = 10_000;

  private static final Map<String, Variant<?>> NO_OPTIONS = Map.of();
  private static final long POLL_MS = 20;

  private final DBusConnection connection;
  private final String busAddress;
  private final String adapter;
  private final String adapterPath;
  private final String bluezOwner;
  private final Optional<VehicleIdentity> vehicle;
  private final BluezHostFiles host;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private Registration registration;

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
    this.adapterPath = "/org/bluez/" + adapter;
    this.bluezOwner = bluezOwner;
    this.vehicle = vehicle;
    this.host = host;
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
    String address = resolveBusAddress(busAddress);
    DBusConnection connection = connect(address);
    try {
      String owner = bluezOwner(connection, address);
      String chosen = chooseAdapter(connection, adapter);
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
      return advertiser.readiness();
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
      Registration started = new Registration(data);
      registration = started;
      try {
        powerOn();
        started.register();
        address = describeAddress();
        advertising = true;
        LOG.info("BLE: advertising on {} from {}", adapter, address.text());
      } catch (RuntimeException e) {
        registration = null;
        if (!started.undo() && connection.isConnected()) {
          LOG.warn("BLE: BlueZ did not confirm the unregistration; leaving the bus so it drops it");
          closed = true;
          closeQuietly(connection);
        }
        throw e instanceof BleException ble ? ble : busError("starting BLE advertising", e);
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
        Registration current = registration;
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

  // ---------------------------------------------------------------- start

  private void powerOn() {
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

  private AdvertisedAddress describeAddress() {
    Properties adapterProperties = remote(adapterPath, Properties.class);
    String identity = String.valueOf(adapterProperties.<Object>Get(ADAPTER, "Address"));
    String type = String.valueOf(adapterProperties.<Object>Get(ADAPTER, "AddressType"));
    return AdvertisedAddress.of(
        identity, type, host.privacy(), host.identityResolvingKey(identity), vehicle);
  }

  private BluezReadiness readiness() {
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

  /** What one start registered, so that stop (or a failed start) can take back exactly that. */
  private final class Registration {
    private final AdvertisementObject advertisement;
    private final GattApplication application;
    private final List<String> exported = new ArrayList<>();
    private volatile boolean advertisementRegistered;
    private volatile boolean applicationRegistered;
    private volatile boolean unregistering;

    Registration(AdvertisingData data) {
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
  }

  // ---------------------------------------------------------------- D-Bus plumbing

  /**
   * A method call on the adapter that reports a D-Bus error by its name: dbus-java 5.2 turns error
   * names it has no exception class for (all of {@code org.bluez.Error.*}) into a bare
   * DBusExecutionException, and the name is what tells NotPermitted from Failed.
   */
  private void call(Class<? extends DBusInterface> type, String method, Object... args)
      throws CallFailure {
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

  /** A D-Bus error reply: its name and its text. */
  static final class CallFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String name;

    CallFailure(String name, String text) {
      super(text.isBlank() ? name : name + ": " + text);
      this.name = name;
    }

    String name() {
      return name;
    }
  }

  private <T extends DBusInterface> T remote(String path, Class<T> type) {
    try {
      return connection.getRemoteObject(BLUEZ, path, type);
    } catch (DBusException e) {
      throw busError("reaching " + path, e);
    }
  }

  static String resolveBusAddress(Optional<String> busAddress) {
    return busAddress
        .filter(a -> !a.isBlank())
        .or(() -> Optional.ofNullable(System.getenv(ENV_SYSTEM_BUS)).filter(a -> !a.isBlank()))
        .orElse(DEFAULT_SYSTEM_BUS);
  }

  private static DBusConnection connect(String address) {
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

  private static String bluezOwner(DBusConnection connection, String address) {
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

  private static String chooseAdapter(DBusConnection connection, Optional<String> wanted) {
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

  private BleException refused(String what, CallFailure e) {
    String name = e.name();
    String hint;
    if (name.endsWith(".NotPermitted")) {
      hint = "every advertising instance is taken: stop the other advertisers";
    } else if (name.endsWith(".AlreadyExists")) {
      hint = "another dkrig run on this bus still holds it: stop that run";
    } else if (name.endsWith(".InvalidLength")) {
      hint = "the advertising data does not fit 31 bytes";
    } else if (name.endsWith(".NoReply") || name.endsWith(".Timeout")) {
      hint = "bluetoothd did not answer: check journalctl -u bluetooth";
    } else {
      hint = "check journalctl -u bluetooth";
    }
    return new BleException(
        Kind.REGISTRATION_REFUSED,
        "BlueZ refused " + what + " on " + adapter + ": " + e.getMessage(),
        hint,
        e);
  }

  private static BleException busError(String doing, Exception e) {
    return new BleException(
        Kind.BUS_ERROR, "D-Bus error " + doing + ": " + errorText(e), "check bluetoothd", e);
  }

  /** The D-Bus error name behind an exception from a dbus-java proxy, as far as it is known. */
  static String errorName(Throwable e) {
    // bluez-dbus maps org.bluez.Error.X onto org.bluez.exceptions.BluezXException.
    String simple = e.getClass().getSimpleName();
    if ("org.bluez.exceptions".equals(e.getClass().getPackageName())
        && simple.startsWith("Bluez")
        && simple.endsWith("Exception")) {
      return "org.bluez.Error." + simple.substring(5, simple.length() - "Exception".length());
    }
    // dbus-java maps org.freedesktop.DBus.Error.X onto org.freedesktop.dbus.errors.X.
    if ("org.freedesktop.dbus.errors".equals(e.getClass().getPackageName())) {
      return "org.freedesktop.DBus.Error." + simple;
    }
    return e.getClass().getName();
  }

  static String errorText(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    // A bare DBusExecutionException has lost its D-Bus error name (see call()): the text it is.
    if (e.getClass() == DBusExecutionException.class) {
      return message.isBlank() ? "D-Bus error" : message;
    }
    return errorName(e) + (message.isBlank() ? "" : ": " + message);
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

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

  private static void pause() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BleException(Kind.ADAPTER_OFF, "interrupted while powering on", null, e);
    }
  }

  @Override
  public String toString() {
    return "BluezAdvertiser[" + adapter + ", " + (advertising ? "advertising" : "idle") + "]";
  }
}
