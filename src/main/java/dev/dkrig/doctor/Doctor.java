package dev.dkrig.doctor;

import dev.dkrig.bench.RigConfig;
import dev.dkrig.ble.bluez.BluezAdvertiser;
import dev.dkrig.ble.bluez.BluezReadiness;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.Acr122u;
import dev.dkrig.transport.pcsc.Acr122uProbe;
import dev.dkrig.transport.pcsc.Pcsc;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dkrig doctor}: is this bench ready for the rig? Each check says what it found, and when
 * something is wrong, the cause and the exact fix (the commonest complaint about every tool in this
 * field is an unexplained "no reader").
 */
public final class Doctor {
  private static final Pattern DRIVER_OPTIONS =
      Pattern.compile(
          "<key>ifdDriverOptions</key>\\s*<string>\\s*(0x[0-9A-Fa-f]+|\\d+)\\s*</string>");
  private static final List<String> KERNEL_NFC_MODULES = List.of("pn533_usb", "pn533", "nfc");

  private final Host host;
  private final Supplier<List<Pcsc.ReaderInfo>> readers;
  private final Function<String, Optional<Acr122uProbe>> acr122u;

  /**
   * @param readers lists the PC/SC readers; throws {@link TransportException} like the rig does
   */
  public Doctor(Host host, Supplier<List<Pcsc.ReaderInfo>> readers) {
    this(host, readers, name -> Optional.empty());
  }

  /**
   * @param acr122u asks the ACR122U of that name for its firmware and PICC operating parameter
   */
  public Doctor(
      Host host,
      Supplier<List<Pcsc.ReaderInfo>> readers,
      Function<String, Optional<Acr122uProbe>> acr122u) {
    this.host = host;
    this.readers = readers;
    this.acr122u = acr122u;
  }

  public static Doctor system() {
    return new Doctor(
        Host.system(),
        () -> Pcsc.describe(Pcsc.terminals(Pcsc.factory()), true),
        name -> Acr122uProbe.of(() -> Pcsc.terminals(Pcsc.factory()), name, System.getenv()));
  }

  /** Runs the checks the rig needs, in the order a person would fix them. */
  public List<Finding> examine(RigConfig rig, ReaderSelection selection) {
    List<Finding> findings = new ArrayList<>();
    findings.add(
        Finding.ok(
            "rig",
            rig.source().displayName()
                + ": transport "
                + rig.transport().name().toLowerCase(Locale.ROOT)
                + ", BLE "
                + rig.ble().name().toLowerCase(Locale.ROOT)));
    switch (rig.transport()) {
      case VIRTUAL ->
          findings.add(
              Finding.ok(
                  "transport", "the virtual device runs in process: no reader, no pcscd needed"));
      case PCSC -> findings.addAll(pcsc(selection));
      case PN532_UART -> findings.add(serialPort(rig.pn532().orElseThrow().port()));
    }
    if (rig.ble() == RigConfig.BleMode.OFF) {
      findings.add(Finding.ok("BLE", "off in this rig (P1.6.2 is SKIPPED)"));
    } else {
      BluezReadiness ble = BluezAdvertiser.probe(rig.bleAdapter(System.getenv()), Optional.empty());
      String fix = ble.fix().orElse("");
      findings.add(
          switch (ble.level()) {
            case READY -> Finding.ok("BLE", ble.finding());
            case WARN -> Finding.warn("BLE", ble.finding(), fix);
            case NOT_READY ->
                rig.ble() == RigConfig.BleMode.OPTIONAL
                    ? Finding.warn(
                        "BLE", ble.finding() + " (ble: optional: P1.6.2 is SKIPPED)", fix)
                    : Finding.problem("BLE", ble.finding(), fix);
          });
    }
    return findings;
  }

  List<Finding> pcsc(ReaderSelection selection) {
    List<Finding> findings = new ArrayList<>();
    Optional<Long> pid = host.pcscdPid();
    boolean socket = host.exists("/run/pcscd/pcscd.comm");
    if (pid.isPresent() && host.processAlive(pid.get()) && socket) {
      findings.add(Finding.ok("pcscd", "running (pid " + pid.get() + ")"));
    } else if (pid.isPresent() && !host.processAlive(pid.get())) {
      findings.add(
          Finding.problem(
              "pcscd",
              "not running; a killed pcscd (pid "
                  + pid.get()
                  + ") left /run/pcscd/pcscd.pid and pcscd.comm behind",
              "sudo rm -f /run/pcscd/pcscd.pid /run/pcscd/pcscd.comm && sudo systemctl start pcscd (or: sudo pcscd)"));
    } else if (!socket) {
      findings.add(
          Finding.problem(
              "pcscd",
              "not running (no /run/pcscd/pcscd.comm)",
              // Installing what is installed is no fix (issue 15): only start it then.
              (host.exists("/usr/sbin/pcscd") ? "" : "sudo apt-get install pcscd && ")
                  + "sudo systemctl start pcscd (or: sudo pcscd)"));
    } else {
      findings.add(Finding.ok("pcscd", "socket /run/pcscd/pcscd.comm present"));
    }

    List<String> kernel = host.modules().stream().filter(KERNEL_NFC_MODULES::contains).toList();
    List<Pcsc.ReaderInfo> list = List.of();
    boolean javaOk = false;
    try {
      list = readers.get();
      javaOk = true;
      findings.add(Finding.ok("Java PC/SC", "javax.smartcardio reaches pcscd"));
    } catch (TransportException e) {
      if (e.kind() == TransportException.Kind.SERVICE_DOWN && e.getMessage().startsWith("pcscd")) {
        findings.add(
            Finding.problem("Java PC/SC", "cannot reach pcscd", "start pcscd (see above)"));
      } else {
        findings.add(
            Finding.problem(
                "Java PC/SC",
                e.getMessage(),
                "sudo apt-get install libpcsclite1; with a JDK that does not find it, run with"
                    + " DKRIG_JAVA_OPTS=-Dsun.security.smartcardio.library=/usr/lib/x86_64-linux-gnu/libpcsclite.so.1"));
      }
    }
    if (javaOk) {
      findings.add(readersFinding(list, selection, kernel));
      if (list.stream().map(Pcsc.ReaderInfo::name).anyMatch(Acr122u::isAcr122u)) {
        findings.add(escapeOption());
      }
      list.stream()
          .map(Pcsc.ReaderInfo::name)
          .filter(Acr122u::isAcr122u)
          .forEach(name -> acr122uFinding(name).ifPresent(findings::add));
    }
    if (!kernel.isEmpty()) {
      boolean blocking = javaOk && list.isEmpty();
      String text =
          "kernel NFC driver loaded ("
              + String.join(", ", kernel)
              + "): it claims ACR122U/PN533 readers, and pcscd then cannot see them";
      String fix =
          "sudo modprobe -r pn533_usb pn533 nfc; keep them out with /etc/modprobe.d/blacklist-libnfc.conf (package libnfc-bin) and replug the reader";
      findings.add(
          blocking ? Finding.problem("kernel", text, fix) : Finding.warn("kernel", text, fix));
    }
    return findings;
  }

  private static Finding readersFinding(
      List<Pcsc.ReaderInfo> list, ReaderSelection selection, List<String> kernel) {
    if (list.isEmpty()) {
      return Finding.problem(
          "readers",
          "no PC/SC reader is connected",
          "plug the reader in (an ACR122U shows as 072f:2200 in lsusb)"
              + (kernel.isEmpty() ? "" : "; the kernel NFC driver may hold it (below)")
              + "; then dkrig readers");
    }
    try {
      ReaderSelection.Reader chosen =
          selection.choose(list.stream().map(Pcsc.ReaderInfo::asReader).toList());
      Pcsc.ReaderInfo info =
          list.stream().filter(r -> r.name().equals(chosen.name())).findFirst().orElseThrow();
      return Finding.ok(
          "readers",
          list.size()
              + " reader(s); the rig would use "
              + chosen.name()
              + (info.cardPresent()
                  ? " (card present, ATR " + info.atr() + ")"
                  : " (no card on it now)"));
    } catch (ReaderSelection.NoReaderException e) {
      return Finding.problem(
          "readers", e.getMessage(), "choose with -r, DKRIG_READER or reader: in the rig file");
    }
  }

  /** The PN532's serial port: present, and open for reading and writing by this user. */
  Finding serialPort(String port) {
    Path path = Path.of(port);
    if (!Files.exists(path)) {
      return Finding.problem(
          "serial port",
          port + " does not exist",
          "plug the USB-UART cable in and name its port in the rig (ls /dev/serial/by-id/), or"
              + " pass --serial-port PATH");
    }
    if (!Files.isReadable(path) || !Files.isWritable(path)) {
      return Finding.problem(
          "serial port",
          port + " is not readable and writable by this user",
          "sudo usermod -aG dialout $USER (then log in again)");
    }
    return Finding.ok("serial port", port + " is there and usable");
  }

  /** What an ACR122U answers: firmware, whether escapes work, the PICC operating parameter. */
  private Optional<Finding> acr122uFinding(String name) {
    Optional<Acr122uProbe> probe;
    try {
      probe = acr122u.apply(name);
    } catch (TransportException e) {
      return Optional.of(
          Finding.warn(
              "ACR122U", name + ": " + e.getMessage(), "dkrig readers; replug the reader"));
    }
    return probe.map(
        p ->
            p.escapeRefusal().isEmpty()
                ? Finding.ok("ACR122U", name + ": " + p.summary())
                : Finding.warn(
                    "ACR122U",
                    name + ": " + p.summary(),
                    "set libccid's ifdDriverOptions to 0x0001 (ACR122U escape, above; hardware.md"
                        + " §3.5) and restart pcscd; pairing works without it"));
  }

  /** libccid's escape option: needed for the ACR122U's LED, buzzer, RF control and ECP. */
  Finding escapeOption() {
    Optional<String> plist = host.read("/etc/libccid_Info.plist");
    if (plist.isEmpty()) {
      return Finding.warn(
          "ACR122U escape",
          "no /etc/libccid_Info.plist: is the CCID driver (libccid) installed?",
          "sudo apt-get install libccid (and not libacsccid1 at the same time)");
    }
    Matcher m = DRIVER_OPTIONS.matcher(plist.get());
    if (!m.find()) {
      return Finding.warn(
          "ACR122U escape",
          "ifdDriverOptions not found in /etc/libccid_Info.plist",
          "set <key>ifdDriverOptions</key> <string>0x0001</string> and restart pcscd");
    }
    String value = m.group(1);
    long options =
        value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
    if ((options & 0x0001) == 0) {
      return Finding.warn(
          "ACR122U escape",
          "libccid's ifdDriverOptions is "
              + value
              + ": escape commands are refused, so the rig cannot drive the LED, buzzer, RF field or Apple ECP frames (pairing itself works)",
          "in /etc/libccid_Info.plist set <key>ifdDriverOptions</key> <string>0x0001</string> (keep other bits), then restart pcscd");
    }
    return Finding.ok("ACR122U escape", "ifdDriverOptions " + value + " allows escape commands");
  }

  public static boolean ready(List<Finding> findings) {
    return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.PROBLEM);
  }
}
