package dev.dkrig.ble.bluez;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ble.BleException;
import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.BluezMock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.dbus.errors.UnknownObject;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BluezAdvertiser} against the mock BlueZ of {@link BluezMock}: what bluetoothd reads from
 * the rig (§14.1, §14.2, §17.4.12), the stop paths (§13: pairing mode ends), and the P1.6.2 ERROR
 * paths (§2), each with a one-line cause.
 */
class BluezAdvertiserTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** §17.4.12, brand 0001. */
  static final String ADV_DATA = "0201060303F5FF1421E4CCDBE22A2AA3A2E91199B4C0BB1058010001";

  static final AdvertisingData DATA =
      new AdvertisingData(Hex.decode("0001"), DkProfile.BLE_DEFAULT_SPSM);

  static final String SERVICE_PATH = BluezAdvertiser.APPLICATION_PATH + "/service0";
  static final String CHARACTERISTIC_PATH = SERVICE_PATH + "/char0";

  @TempDir Path hostRoot;
  BluezMock bluez;

  @BeforeEach
  void mock() {
    bluez = BluezMock.start();
  }

  @AfterEach
  void stopMock() {
    List<ProcessHandle> processes = bluez.processes();
    bluez.close();
    // No stray dbus-daemon or dbusmock after a test.
    processes.forEach(p -> assertFalse(p.isAlive(), "still running: " + p.info()));
  }

  BluezAdvertiser open() {
    return open(Optional.empty());
  }

  BluezAdvertiser open(Optional<VehicleIdentity> vehicle) {
    return BluezAdvertiser.open(
        Optional.of(BluezMock.ADAPTER),
        Optional.of(bluez.address()),
        vehicle,
        new BluezHostFiles(hostRoot));
  }

  JsonNode registered() {
    return bluez.registrations().path(BluezMock.ADAPTER);
  }

  void assertNothingRegistered() {
    assertEquals(0, registered().path("advertisements").size(), registered().toString());
    assertEquals(0, registered().path("applications").size(), registered().toString());
    assertEquals(
        0,
        ((Number)
                bluez
                    .properties(BluezMock.ADAPTER_PATH)
                    .Get(BluezAdvertiser.LE_ADVERTISING_MANAGER, "ActiveInstances"))
            .intValue());
  }

  /** Asks the advertiser's connection for an object it exported; UnknownObject once unexported. */
  boolean exported(String uniqueName, String path) {
    try {
      bluez.connection().getRemoteObject(uniqueName, path, Properties.class).GetAll("x");
      return true;
    } catch (UnknownObject e) {
      return false;
    } catch (DBusExecutionException e) {
      return true; // the object answered, with an error about the interface
    } catch (org.freedesktop.dbus.exceptions.DBusException e) {
      throw new AssertionError(e);
    }
  }

  static void assertOneLine(BleException e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void p1_6_2_oneAdvertisementWithExactlyTheSection14_1Properties() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      assertTrue(ble.advertising());
      List<JsonNode> registrations = bluez.record("RegisterAdvertisement");
      assertEquals(1, registrations.size(), registrations.toString());
      assertEquals(
          List.of(BluezAdvertiser.ADVERTISEMENT_PATH), texts(registered().path("advertisements")));

      JsonNode properties = registrations.get(0).path("properties");
      assertEquals(
          Set.of("Type", "ServiceUUIDs", "ServiceData", "Discoverable"), names(properties));
      assertTyped(properties.path("Type"), "s", "\"peripheral\"");
      assertTyped(
          properties.path("ServiceUUIDs"), "as", "[\"0000fff5-0000-1000-8000-00805f9b34fb\"]");
      assertTyped(properties.path("Discoverable"), "b", "true");
      JsonNode serviceData = properties.path("ServiceData");
      assertEquals("a{sv}", serviceData.path("signature").asText());
      assertEquals(
          Set.of("5810bbc0-b499-11e9-a2a3-2a2ae2dbcce4"), names(serviceData.path("value")));
      assertTyped(
          serviceData.path("value").path("5810bbc0-b499-11e9-a2a3-2a2ae2dbcce4"), "ay", "[1,0,1]");
    }
  }

  @Test
  void s17_4_12_thePropertiesRebuildTheAdvDataVector() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      // The mock builds the bytes as bluetoothd does: flags from Discoverable (the adapter itself
      // stays non-discoverable, which adds BR/EDR Not Supported), then UUIDs, then service data.
      String advData = bluez.record("RegisterAdvertisement").get(0).path("advData").asText();
      assertEquals(ADV_DATA, advData);
      assertEquals(ADV_DATA, Hex.encode(DATA.advData()));
      assertEquals(
          Boolean.FALSE,
          bluez.properties(BluezMock.ADAPTER_PATH).Get(BluezAdvertiser.ADAPTER, "Discoverable"));
    }
  }

  @Test
  void s14_2_gattServiceFff5WithTheVehicleSpsmCharacteristic() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      List<JsonNode> applications = bluez.record("RegisterApplication");
      assertEquals(1, applications.size());
      JsonNode app = applications.get(0);
      assertEquals(BluezAdvertiser.APPLICATION_PATH, app.path("path").asText());
      JsonNode objects = app.path("objects");
      assertEquals(Set.of(SERVICE_PATH, CHARACTERISTIC_PATH), names(objects));

      JsonNode service = objects.path(SERVICE_PATH);
      assertEquals(Set.of("org.bluez.GattService1"), names(service));
      JsonNode serviceProperties = service.path("org.bluez.GattService1");
      assertEquals(Set.of("UUID", "Primary"), names(serviceProperties));
      assertTyped(serviceProperties.path("UUID"), "s", "\"0000fff5-0000-1000-8000-00805f9b34fb\"");
      assertTyped(serviceProperties.path("Primary"), "b", "true");

      JsonNode characteristic = objects.path(CHARACTERISTIC_PATH);
      assertEquals(Set.of("org.bluez.GattCharacteristic1"), names(characteristic));
      JsonNode c = characteristic.path("org.bluez.GattCharacteristic1");
      assertEquals(Set.of("UUID", "Service", "Flags"), names(c));
      assertTyped(c.path("UUID"), "s", "\"d3b5a130-9e23-4b3a-8be4-6b1ee5f980a3\"");
      assertTyped(c.path("Service"), "o", "\"" + SERVICE_PATH + "\"");
      assertTyped(c.path("Flags"), "as", "[\"read\"]");

      // A central's read: 2 bytes, big-endian, default 00 80.
      assertEquals("0080", app.path("reads").path(CHARACTERISTIC_PATH).asText());
    }
  }

  @Test
  void s14_2_theSpsmCharacteristicHonoursTheReadOffset() throws Exception {
    AdvertisingData data = new AdvertisingData(Hex.decode("0001"), 0x1234);
    try (BluezAdvertiser ble = open()) {
      ble.start(data);
      String me = bluez.record("RegisterApplication").get(0).path("sender").asText();
      org.bluez.GattCharacteristic1 characteristic =
          bluez
              .connection()
              .getRemoteObject(me, CHARACTERISTIC_PATH, org.bluez.GattCharacteristic1.class);
      assertEquals("1234", Hex.encode(characteristic.ReadValue(Map.of())));
      assertEquals(
          "34",
          Hex.encode(
              characteristic.ReadValue(
                  Map.of("offset", new Variant<>(new org.freedesktop.dbus.types.UInt16(1))))));
    }
  }

  @Test
  void s13_stopUnregistersBothAndBlueZReleasesTheAdvertisement() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      String me = bluez.record("RegisterAdvertisement").get(0).path("sender").asText();
      ble.stop();
      assertFalse(ble.advertising());
      assertNothingRegistered();
      assertEquals(1, bluez.record("UnregisterAdvertisement").size());
      assertEquals(1, bluez.record("UnregisterApplication").size());
      assertEquals(1, bluez.record("Release").size());
      assertEquals(1, ble.releases(), "the advertiser received Release before unexporting");
      // Unregistered first, then unexported.
      assertFalse(exported(me, BluezAdvertiser.ADVERTISEMENT_PATH));
      assertFalse(exported(me, BluezAdvertiser.APPLICATION_PATH));
      assertFalse(exported(me, CHARACTERISTIC_PATH));
      // The advertisement goes before the GATT application.
      List<String> order =
          bluez.record().stream()
              .map(e -> e.path("event").asText())
              .filter(e -> e.startsWith("Unregister"))
              .toList();
      assertEquals(List.of("UnregisterAdvertisement", "UnregisterApplication"), order);
    }
  }

  @Test
  void stopTwiceAndStopBeforeStartAreHarmless() {
    try (BluezAdvertiser ble = open()) {
      ble.stop();
      ble.start(DATA);
      ble.stop();
      int events = bluez.record().size();
      ble.stop();
      assertEquals(events, bluez.record().size());
      assertNothingRegistered();
    }
  }

  @Test
  void startAgainAfterStop() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      ble.stop();
      ble.start(DATA);
      assertTrue(ble.advertising());
      assertEquals(2, bluez.record("RegisterAdvertisement").size());
      assertEquals(1, registered().path("advertisements").size());
    }
  }

  @Test
  void stopFromAnotherThreadSuchAsAShutdownHook() throws Exception {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread hook = new Thread(ble::stop, "shutdown-hook");
      hook.setUncaughtExceptionHandler((t, e) -> failure.set(e));
      hook.start();
      hook.join(WAIT.toMillis());
      assertFalse(hook.isAlive());
      assertEquals(null, failure.get());
      assertFalse(ble.advertising());
      assertNothingRegistered();
    }
  }

  @Test
  void stopDuringAStartWaitsForItAndThenTakesEverythingBack() throws Exception {
    bluez.control().DelayRegistration(1.0);
    try (BluezAdvertiser ble = open()) {
      AtomicReference<Throwable> startFailure = new AtomicReference<>();
      Thread run = startOnRunThread(ble, startFailure);
      awaitBusy(ble);
      ble.stop(); // as Ctrl-C would, while RegisterAdvertisement is in flight
      run.join(WAIT.toMillis());
      assertFalse(run.isAlive());
      assertEquals(null, startFailure.get());
      assertFalse(ble.advertising());
      assertNothingRegistered();
    }
  }

  @Test
  void stopGivesUpWaitingForAStuckStartAndLeavesTheBus() throws Exception {
    bluez.control().DelayRegistration(2.0);
    BluezAdvertiser ble = open();
    String me = ble.uniqueName();
    ble.stopWait(100);
    AtomicReference<Throwable> startFailure = new AtomicReference<>();
    Thread run = startOnRunThread(ble, startFailure);
    awaitBusy(ble);
    long before = System.nanoTime();
    ble.stop();
    assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(Duration.ofSeconds(1)) < 0);
    assertFalse(ble.advertising());
    run.join(WAIT.toMillis());
    assertFalse(run.isAlive());
    assertTrue(startFailure.get() instanceof BleException, String.valueOf(startFailure.get()));
    assertFalse(bluez.onBus(me));
    assertNothingRegistered();
    ble.close();
  }

  @Test
  void stopNeverThrowsWhenBlueZHasGone() {
    BluezAdvertiser ble = open();
    String me = ble.uniqueName();
    ble.start(DATA);
    bluez.killBluez();
    ble.stop();
    assertFalse(ble.advertising());
    // The advertiser left the bus: had bluetoothd lived, it would have dropped everything.
    assertFalse(bluez.onBus(me));
    ble.close();
  }

  @Test
  void stopOnAnInterruptedThreadStillUnregistersAndKeepsTheInterrupt() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      Thread.currentThread().interrupt();
      try {
        ble.stop();
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
      assertNothingRegistered();
    }
  }

  @Test
  void closeLeavesTheBusAndBlueZHoldsNothing() {
    BluezAdvertiser ble = open();
    ble.start(DATA);
    String me = bluez.record("RegisterAdvertisement").get(0).path("sender").asText();
    ble.close();
    ble.close();
    assertFalse(bluez.onBus(me));
    assertNothingRegistered();
    assertThrows(IllegalStateException.class, () -> ble.start(DATA));
  }

  @Test
  void startTwiceIsAProgrammingError() {
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      assertThrows(IllegalStateException.class, () -> ble.start(DATA));
      assertEquals(1, registered().path("advertisements").size());
    }
  }

  @Test
  void theFirstAdapterWithLeAdvertisingWhenNoneIsNamed() {
    bluez.control().AddAdapterWithoutLE("hci1", "classic only");
    try (BluezAdvertiser ble =
        BluezAdvertiser.open(
            Optional.empty(),
            Optional.of(bluez.address()),
            Optional.empty(),
            new BluezHostFiles(hostRoot))) {
      assertEquals("hci0", ble.adapter());
    }
  }

  @Test
  void aPoweredOffAdapterIsPoweredOn() {
    Properties adapter = bluez.properties(BluezMock.ADAPTER_PATH);
    adapter.Set(BluezAdvertiser.ADAPTER, "Powered", Boolean.FALSE);
    try (BluezAdvertiser ble = open()) {
      ble.start(DATA);
      assertEquals(Boolean.TRUE, adapter.Get(BluezAdvertiser.ADAPTER, "Powered"));
    }
  }

  // ------------------------------------------------------------ P1.6.2 ERROR paths

  @Test
  void p1_6_2_noSystemBus() {
    BleException e =
        assertThrows(
            BleException.class,
            () ->
                BluezAdvertiser.open(
                    Optional.empty(),
                    Optional.of("unix:path=" + hostRoot.resolve("no-bus-here")),
                    Optional.empty()));
    assertEquals(BleException.Kind.NO_SYSTEM_BUS, e.kind());
    assertOneLine(e);
    assertTrue(e.getMessage().startsWith("no D-Bus system bus at unix:path="), e.getMessage());
  }

  @Test
  void p1_6_2_noBlueZOnTheBus() {
    try (BluezMock empty = BluezMock.busOnly()) {
      BleException e =
          assertThrows(
              BleException.class,
              () -> BluezAdvertiser.open(Optional.empty(), Optional.of(empty.address())));
      assertEquals(BleException.Kind.NO_BLUEZ, e.kind());
      assertOneLine(e);
      assertTrue(e.getMessage().contains("org.bluez"), e.getMessage());
    }
  }

  @Test
  void p1_6_2_noAdapterAtAll() {
    bluez.control().RemoveAdapter(BluezMock.ADAPTER);
    BleException e =
        assertThrows(
            BleException.class,
            () -> BluezAdvertiser.open(Optional.empty(), Optional.of(bluez.address())));
    assertEquals(BleException.Kind.NO_ADAPTER, e.kind());
    assertOneLine(e);
    assertEquals(
        "BlueZ has no Bluetooth adapter; plug in an LE-capable adapter and check bluetoothctl list",
        e.getMessage());
  }

  @Test
  void p1_6_2_noSuchAdapter() {
    BleException e =
        assertThrows(
            BleException.class,
            () -> BluezAdvertiser.open(Optional.of("hci7"), Optional.of(bluez.address())));
    assertEquals(BleException.Kind.NO_ADAPTER, e.kind());
    assertOneLine(e);
    assertTrue(
        e.getMessage().startsWith("no Bluetooth adapter hci7; BlueZ has [hci0]"), e.getMessage());
  }

  @Test
  void p1_6_2_anAdapterWithoutLeAdvertising() {
    bluez.control().RemoveAdapter(BluezMock.ADAPTER);
    bluez.control().AddAdapterWithoutLE("hci0", "classic only");
    for (Optional<String> name : List.of(Optional.<String>empty(), Optional.of("hci0"))) {
      BleException e =
          assertThrows(
              BleException.class, () -> BluezAdvertiser.open(name, Optional.of(bluez.address())));
      assertEquals(BleException.Kind.NO_LE_ADVERTISING, e.kind());
      assertOneLine(e);
      assertTrue(
          e.getMessage().startsWith("hci0 offers no org.bluez.LEAdvertisingManager1"),
          e.getMessage());
    }
  }

  @Test
  void p1_6_2_anAdapterBlockedByRfkill() {
    bluez.control().BlockAdapter(BluezMock.ADAPTER);
    try (BluezAdvertiser ble = open()) {
      BleException e = assertThrows(BleException.class, () -> ble.start(DATA));
      assertEquals(BleException.Kind.ADAPTER_OFF, e.kind());
      assertOneLine(e);
      assertEquals(
          "hci0 is powered off and blocked by rfkill; rfkill unblock bluetooth (or the radio's"
              + " hardware switch)",
          e.getMessage());
      assertFalse(ble.advertising());
      assertNothingRegistered();
      assertEquals(0, bluez.record("RegisterAdvertisement").size());
    }
  }

  @Test
  void p1_6_2_advertisementRefusedLeavesNothingBehind() {
    bluez
        .control()
        .RefuseRegistration(
            "RegisterAdvertisement",
            "org.bluez.Error.NotPermitted",
            "Maximum advertisements reached");
    try (BluezAdvertiser ble = open()) {
      String me = uniqueNameOf(ble);
      BleException e = assertThrows(BleException.class, () -> ble.start(DATA));
      assertEquals(BleException.Kind.REGISTRATION_REFUSED, e.kind());
      assertOneLine(e);
      assertEquals(
          "BlueZ refused the advertisement on hci0: org.bluez.Error.NotPermitted: Maximum"
              + " advertisements reached; every advertising instance is taken: stop the other"
              + " advertisers",
          e.getMessage());
      assertFalse(ble.advertising());
      assertNothingRegistered();
      assertFalse(exported(me, BluezAdvertiser.ADVERTISEMENT_PATH));
      assertFalse(exported(me, BluezAdvertiser.APPLICATION_PATH));
    }
  }

  @Test
  void p1_6_2_gattApplicationRefusedTakesTheAdvertisementBack() {
    bluez
        .control()
        .RefuseRegistration("RegisterApplication", "org.bluez.Error.Failed", "Failed to register");
    try (BluezAdvertiser ble = open()) {
      BleException e = assertThrows(BleException.class, () -> ble.start(DATA));
      assertEquals(BleException.Kind.REGISTRATION_REFUSED, e.kind());
      assertOneLine(e);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "BlueZ refused the GATT application on hci0: org.bluez.Error.Failed: Failed to"
                      + " register"),
          e.getMessage());
      assertNothingRegistered();
      // The advertisement had been registered: it was unregistered and released.
      assertEquals(1, bluez.record("UnregisterAdvertisement").size());
      assertEquals(1, bluez.record("Release").size());
      assertEquals(1, ble.releases());
      assertFalse(exported(uniqueNameOf(ble), BluezAdvertiser.ADVERTISEMENT_PATH));

      // The bench recovers once BlueZ accepts again.
      bluez.control().RefuseRegistration("RegisterApplication", "", "");
      ble.start(DATA);
      assertTrue(ble.advertising());
    }
  }

  // ------------------------------------------------------------ the advertised address (§14.1)

  @Test
  void s14_1_identityAddressWhenBlueZPrivacyIsOff() {
    try (BluezAdvertiser ble = open()) {
      assertEquals(Optional.empty(), ble.advertisedAddress());
      ble.start(DATA);
      AdvertisedAddress address = ble.advertisedAddressDetail().orElseThrow();
      assertEquals(AdvertisedAddress.Kind.IDENTITY, address.kind());
      assertEquals(
          "identity address 00:01:02:03:04:05 (public): BlueZ privacy off (main.conf Privacy"
              + " unset (off))",
          ble.advertisedAddress().orElseThrow());
      ble.stop();
      assertTrue(ble.advertisedAddress().isPresent(), "kept for the report");
    }
  }

  @Test
  void s14_1_resolvablePrivateAddressFromTheVehicleIrk() throws Exception {
    byte[] irk = Hex.decode("8899AABBCCDDEEFF0011223344556677");
    hostFiles("device", Hex.encode(irk));
    VehicleIdentity vehicle =
        new VehicleIdentity(irk, 0, Hex.decode(BluezMock.ADAPTER_ADDRESS.replace(":", "")));
    try (BluezAdvertiser ble = open(Optional.of(vehicle))) {
      ble.start(DATA);
      AdvertisedAddress address = ble.advertisedAddressDetail().orElseThrow();
      assertEquals(AdvertisedAddress.Kind.RESOLVABLE_PRIVATE_VEHICLE_IRK, address.kind());
      assertTrue(
          address.text().startsWith("resolvable private address from the vehicle IRK"),
          address.text());
    }
  }

  @Test
  void probeReportsAReadyAdapter() {
    BluezReadiness readiness =
        BluezAdvertiser.probe(
            Optional.empty(),
            Optional.of(bluez.address()),
            Optional.empty(),
            new BluezHostFiles(hostRoot));
    assertEquals(BluezReadiness.Level.READY, readiness.level(), readiness.toString());
    assertEquals(
        "hci0 00:01:02:03:04:05: powered, LE advertising (0 of 4 instances in use), GATT server;"
            + " would advertise from the identity address 00:01:02:03:04:05 (public): BlueZ privacy"
            + " off (main.conf Privacy unset (off))",
        readiness.finding());
  }

  @Test
  void probeReportsRfkillAndNoBlueZ() {
    bluez.control().BlockAdapter(BluezMock.ADAPTER);
    BluezReadiness blocked = BluezAdvertiser.probe(Optional.empty(), Optional.of(bluez.address()));
    assertEquals(BluezReadiness.Level.NOT_READY, blocked.level());
    assertTrue(
        blocked.finding().startsWith("hci0 00:01:02:03:04:05: blocked by rfkill"),
        blocked.finding());
    assertEquals(
        Optional.of("rfkill unblock bluetooth (or the radio's hardware switch)"), blocked.fix());

    try (BluezMock empty = BluezMock.busOnly()) {
      BluezReadiness none = BluezAdvertiser.probe(Optional.empty(), Optional.of(empty.address()));
      assertEquals(BluezReadiness.Level.NOT_READY, none.level());
      assertEquals(
          "BlueZ (org.bluez) is not on the D-Bus system bus " + empty.address(), none.finding());
      assertEquals(Optional.of("start bluetoothd (sudo systemctl start bluetooth)"), none.fix());
    }
  }

  // ------------------------------------------------------------ helpers

  /** {@code ble.start(DATA)} on a thread of its own, as the run calls it; keeps what it throws. */
  static Thread startOnRunThread(BluezAdvertiser ble, AtomicReference<Throwable> failure) {
    Thread run =
        new Thread(
            () -> {
              try {
                ble.start(DATA);
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "run");
    run.start();
    return run;
  }

  static void awaitBusy(BluezAdvertiser ble) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!ble.busy()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("start never began");
      }
      Thread.onSpinWait();
    }
  }

  void hostFiles(String privacy, String irkHex) throws Exception {
    Path conf = hostRoot.resolve(BluezHostFiles.MAIN_CONF);
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "[General]\n#Privacy = off\nPrivacy = " + privacy + "\n[Policy]\n");
    Path identity =
        hostRoot
            .resolve(BluezHostFiles.STORAGE)
            .resolve(BluezMock.ADAPTER_ADDRESS)
            .resolve("identity");
    Files.createDirectories(identity.getParent());
    Files.writeString(identity, "[General]\nIdentityResolvingKey=" + irkHex + "\n");
  }

  static String uniqueNameOf(BluezAdvertiser ble) {
    return ble.uniqueName();
  }

  static void assertTyped(JsonNode typed, String signature, String valueJson) {
    assertEquals(signature, typed.path("signature").asText(), typed.toString());
    try {
      assertEquals(new ObjectMapper().readTree(valueJson), typed.path("value"), typed.toString());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    Iterator<String> it = object.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
