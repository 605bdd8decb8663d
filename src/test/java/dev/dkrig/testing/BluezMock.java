package dev.dkrig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * BlueZ as CI can have it (bench-and-ci notes §4.3): a private {@code dbus-daemon --session} and
 * python-dbusmock running dkrig's extended bluez5 template ({@code
 * src/test/resources/bluez/dbusmock_bluez5_le.py}) on it, with adapter {@code hci0}. Point the
 * advertiser at {@link #address()} (it stands in for the system bus). {@link #close()} ends both
 * processes and waits for them.
 *
 * <pre>{@code
 * try (BluezMock bluez = BluezMock.start()) {
 *   BluezAdvertiser ble = BluezAdvertiser.open(Optional.of("hci0"), Optional.of(bluez.address()));
 *   ...
 *   bluez.record("RegisterAdvertisement");   // what the mock read from the advertiser
 * }
 * }</pre>
 */
public final class BluezMock implements AutoCloseable {
  public static final String ADAPTER = "hci0";
  public static final String ADAPTER_PATH = "/org/bluez/" + ADAPTER;

  /** The mock's hci0, as python-dbusmock's bluez5 template numbers it. */
  public static final String ADAPTER_ADDRESS = "00:01:02:03:04:05";

  /** Debian's interpreter: the pyenv python3 on PATH cannot import dbus (notes §4.3). */
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String TEMPLATE = "/bluez/dbusmock_bluez5_le.py";
  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final Duration SHUTDOWN = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final Process bus;
  private final String address;
  private Process mock;
  private DBusConnection control;

  /** The interface the template adds on {@code /} to steer the mock and read it back. */
  @DBusInterfaceName("org.bluez.Mock")
  public interface Control extends DBusInterface {
    String AddAdapter(String name, String alias);

    String AddAdapterWithoutLE(String name, String alias);

    void RemoveAdapter(String name);

    void RefuseRegistration(String method, String errorName, String message);

    void BlockAdapter(String name);

    void DelayRegistration(double seconds);

    String GetRecord();

    String GetRegistrations();
  }

  private BluezMock(Path directory, Process bus, String address) {
    this.directory = directory;
    this.bus = bus;
    this.address = address;
  }

  /** Bus, mock BlueZ and adapter hci0 (powered, LE advertising, GATT server). */
  public static BluezMock start() {
    BluezMock bluez = withoutAdapter();
    bluez.control().AddAdapter(ADAPTER, "dkrig bench");
    return bluez;
  }

  /** Bus and mock BlueZ, no adapter yet. */
  public static BluezMock withoutAdapter() {
    BluezMock bluez = busOnly();
    try {
      bluez.startMock();
    } catch (RuntimeException e) {
      bluez.close();
      throw e;
    }
    return bluez;
  }

  /** A private bus with nobody on it: no BlueZ. */
  public static BluezMock busOnly() {
    Path daemon = executable("dbus-daemon", "dbus-daemon is missing: apt-get install dbus");
    Path directory = workDirectory();
    Process bus;
    try {
      bus =
          new ProcessBuilder(daemon.toString(), "--session", "--nofork", "--print-address=1")
              .redirectError(directory.resolve("dbus-daemon.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start dbus-daemon: " + e.getMessage(), e);
    }
    String address;
    try {
      address = firstLine(bus.getInputStream(), STARTUP);
    } catch (RuntimeException e) {
      stop(bus);
      throw new IllegalStateException(
          "dbus-daemon printed no address: " + e.getMessage() + "; see " + directory, e);
    }
    BluezMock bluez = new BluezMock(directory, bus, address);
    try {
      bluez.control = DBusConnectionBuilder.forAddress(address).withShared(false).build();
    } catch (DBusException e) {
      bluez.close();
      throw new IllegalStateException("cannot connect to the private bus " + address, e);
    }
    return bluez;
  }

  private void startMock() {
    if (!Files.isExecutable(PYTHON)) {
      throw new IllegalStateException(
          PYTHON + " is missing: apt-get install python3 python3-dbusmock");
    }
    Path log = directory.resolve("dbusmock.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                PYTHON.toString(),
                "-m",
                "dbusmock",
                "--session",
                "-t",
                template().toString(),
                "-l",
                log.toString())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("dbusmock.out").toFile());
    // --session puts the mock on DBUS_SESSION_BUS_ADDRESS: our private bus.
    builder.environment().put("DBUS_SESSION_BUS_ADDRESS", address);
    try {
      mock = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start python-dbusmock: " + e.getMessage(), e);
    }
    DBus dbus = remote("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!dbus.NameHasOwner("org.bluez")) {
      if (!mock.isAlive() || System.nanoTime() > deadline) {
        String output = read(directory.resolve("dbusmock.out"));
        if (output.contains("No module named dbusmock")) {
          throw new IllegalStateException(
              "python3-dbusmock is missing: apt-get install python3-dbusmock");
        }
        throw new IllegalStateException(
            "mock BlueZ did not come up within " + STARTUP + ": " + output.strip());
      }
      sleepBriefly();
    }
  }

  /** The bus address: give it to the advertiser as the system bus. */
  public String address() {
    return address;
  }

  /** The mock's own switches and records. */
  public Control control() {
    return remote("org.bluez", "/", Control.class);
  }

  /** Properties of a BlueZ object, e.g. {@link #ADAPTER_PATH}, to read or change them. */
  public Properties properties(String path) {
    return remote("org.bluez", path, Properties.class);
  }

  /** Is this unique name still on the bus? (A closed advertiser has left it.) */
  public boolean onBus(String uniqueName) {
    return remote("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
        .NameHasOwner(uniqueName);
  }

  /** The connection the fixture itself uses, to call into clients as a test needs. */
  public DBusConnection connection() {
    return control;
  }

  /** Every event the mock recorded, oldest first. */
  public List<JsonNode> record() {
    try {
      List<JsonNode> events = new ArrayList<>();
      JSON.readTree(control().GetRecord()).forEach(events::add);
      return events;
    } catch (IOException e) {
      throw new IllegalStateException("mock record is not JSON", e);
    }
  }

  /**
   * The recorded events named {@code event} ({@code RegisterAdvertisement}, {@code Release}...).
   */
  public List<JsonNode> record(String event) {
    return record().stream().filter(e -> event.equals(e.path("event").asText())).toList();
  }

  /** Waits until an event matching {@code test} is recorded; Release answers arrive later. */
  public JsonNode awaitEvent(String event, Predicate<JsonNode> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<JsonNode> found = record(event).stream().filter(test).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + event + " within " + timeout + "; record: " + record());
      }
      sleepBriefly();
    }
  }

  /** What is registered now: {@code {"hci0": {"advertisements": [...], "applications": [...]}}}. */
  public JsonNode registrations() {
    try {
      return JSON.readTree(control().GetRegistrations());
    } catch (IOException e) {
      throw new IllegalStateException("mock registrations are not JSON", e);
    }
  }

  /** bluetoothd dies: the mock ends, the bus stays. */
  public void killBluez() {
    if (mock != null) {
      stop(mock);
    }
  }

  /** The fixture's processes, to check that none outlives {@link #close()}. */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> handles = new ArrayList<>();
    handles.add(bus.toHandle());
    if (mock != null) {
      handles.add(mock.toHandle());
    }
    return handles;
  }

  /** Where the logs are (dbusmock.log has every call the mock served). */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    if (control != null) {
      try {
        control.close();
      } catch (IOException | RuntimeException e) {
        // The bus goes next; nothing to keep.
      }
    }
    if (mock != null) {
      stop(mock);
    }
    stop(bus);
  }

  private <T extends DBusInterface> T remote(String name, String path, Class<T> type) {
    try {
      return control.getRemoteObject(name, path, type);
    } catch (DBusException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path executable(String name, String missing) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Path usual = Path.of("/usr/bin", name);
    if (Files.isExecutable(usual)) {
      return usual;
    }
    throw new IllegalStateException(missing);
  }

  private static Path workDirectory() {
    try {
      Path target = Path.of("target", "bluez-mock");
      Files.createDirectories(target);
      return Files.createTempDirectory(target.toAbsolutePath(), "run-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the mock's directory", e);
    }
  }

  /** The template as a file: python-dbusmock loads templates by path. */
  private Path template() {
    URL url = BluezMock.class.getResource(TEMPLATE);
    if (url == null) {
      throw new IllegalStateException(TEMPLATE + " is not on the test class path");
    }
    try {
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
      Path copy = directory.resolve("dbusmock_bluez5_le.py");
      try (InputStream in = url.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read " + TEMPLATE, e);
    }
  }

  private static String firstLine(InputStream in, Duration timeout) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      String address = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (address == null || address.isBlank()) {
        throw new IllegalStateException("empty output");
      }
      return address.strip();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
