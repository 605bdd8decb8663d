package dev.dkrig.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.PiccOperatingParameter;
import dev.dkrig.transport.pcsc.Acr122uProbe;
import dev.dkrig.transport.pcsc.Pcsc;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: each doctor finding with its cause and fix, on a fake host. */
class DoctorTest {
  @TempDir Path root;

  private static final RigConfig PCSC = RigConfig.load(ConfigSource.embedded("rigs/pcsc.yaml"));
  private static final ReaderSelection AUTO = ReaderSelection.of(Optional.empty(), Map.of());

  private void write(String absolute, String text) throws Exception {
    Path file = root.resolve(absolute.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private void pcscdRunning() throws Exception {
    write("/run/pcscd/pcscd.pid", "4242\0");
    write("/run/pcscd/pcscd.comm", "");
    Files.createDirectories(root.resolve("proc/4242"));
  }

  private List<Finding> examine(Supplier<List<Pcsc.ReaderInfo>> readers) {
    return new Doctor(new Host(root), readers).examine(PCSC, AUTO);
  }

  private static Finding find(List<Finding> findings, String subject) {
    return findings.stream()
        .filter(f -> f.subject().equals(subject))
        .findFirst()
        .orElseThrow(() -> new AssertionError(subject + " in " + findings));
  }

  private static final Supplier<List<Pcsc.ReaderInfo>> PCSCD_DOWN =
      () -> {
        throw new TransportException(
            TransportException.Kind.SERVICE_DOWN, "pcscd is not running (start it)");
      };

  @Test
  @DisplayName("pcscd not running: a problem with the fix, bench not ready")
  void pcscdDown() {
    List<Finding> findings = examine(PCSCD_DOWN);
    Finding pcscd = find(findings, "pcscd");
    assertEquals(Finding.Severity.PROBLEM, pcscd.severity());
    assertTrue(pcscd.fix().orElseThrow().contains("systemctl start pcscd"));
    assertTrue(pcscd.fix().orElseThrow().contains("apt-get install pcscd"));
    assertFalse(Doctor.ready(findings));
  }

  @Test
  @DisplayName("pcscd installed but not running: start it, not install it (issue 15)")
  void pcscdInstalledNotRunning() throws Exception {
    write("/usr/sbin/pcscd", "");
    Finding pcscd = find(examine(PCSCD_DOWN), "pcscd");
    assertTrue(pcscd.fix().orElseThrow().contains("systemctl start pcscd"), pcscd.toString());
    assertFalse(pcscd.fix().orElseThrow().contains("apt-get"), pcscd.toString());
  }

  @Test
  @DisplayName("stale pid file of a killed pcscd: named, with the cleanup")
  void stalePid() throws Exception {
    write("/run/pcscd/pcscd.pid", "999999\0");
    write("/run/pcscd/pcscd.comm", "");
    Finding pcscd = find(examine(PCSCD_DOWN), "pcscd");
    assertEquals(Finding.Severity.PROBLEM, pcscd.severity());
    assertTrue(pcscd.text().contains("left /run/pcscd/pcscd.pid"), pcscd.text());
    assertTrue(pcscd.fix().orElseThrow().startsWith("sudo rm -f /run/pcscd/pcscd.pid"));
  }

  @Test
  @DisplayName("no reader, kernel pn533_usb loaded: both problems, the kernel one with modprobe -r")
  void kernelDriverHoldsReader() throws Exception {
    pcscdRunning();
    write(
        "/proc/modules",
        "pn533_usb 20480 0 - Live 0x0\npn533 45056 1 pn533_usb, Live 0x0\nnfc 135168 1 pn533, Live 0x0\next4 1 0 - Live 0x0\n");
    List<Finding> findings = examine(List::of);
    assertEquals(Finding.Severity.PROBLEM, find(findings, "readers").severity());
    Finding kernel = find(findings, "kernel");
    assertEquals(Finding.Severity.PROBLEM, kernel.severity());
    assertTrue(kernel.text().contains("pn533_usb, pn533, nfc"), kernel.text());
    assertTrue(kernel.fix().orElseThrow().startsWith("sudo modprobe -r pn533_usb pn533 nfc"));
  }

  @Test
  @DisplayName(
      "issue 16: an ACR122U line with the firmware, the escape state and the PICC parameter")
  void acr122uLine() throws Exception {
    pcscdRunning();
    write("/etc/libccid_Info.plist", "<key>ifdDriverOptions</key>\n<string>0x0001</string>");
    Supplier<List<Pcsc.ReaderInfo>> acr =
        () -> List.of(new Pcsc.ReaderInfo("ACS ACR122U PICC Interface 00 00", false, ""));
    Acr122uProbe works =
        new Acr122uProbe(
            "ACR122U215", Optional.empty(), Optional.of(new PiccOperatingParameter(0x7F)));
    Finding line =
        find(
            new Doctor(new Host(root), acr, name -> Optional.of(works)).examine(PCSC, AUTO),
            "ACR122U");
    assertEquals(Finding.Severity.OK, line.severity());
    assertEquals(
        "ACS ACR122U PICC Interface 00 00: firmware ACR122U215; escape commands work; PICC"
            + " operating parameter 7F (no auto polling, auto ATS, 250 ms, ISO 14443-A, ISO"
            + " 14443-B, Topaz, FeliCa 212, FeliCa 424)",
        line.text());
    Acr122uProbe refused =
        new Acr122uProbe("", Optional.of("SCARD_E_NOT_TRANSACTED"), Optional.empty());
    Finding warn =
        find(
            new Doctor(new Host(root), acr, name -> Optional.of(refused)).examine(PCSC, AUTO),
            "ACR122U");
    assertEquals(Finding.Severity.WARN, warn.severity());
    assertTrue(warn.text().contains("firmware unread; escape commands refused"), warn.text());
    assertTrue(warn.fix().orElseThrow().contains("ifdDriverOptions"));
  }

  @Test
  @DisplayName("ACR122U with libccid escape off: a warning naming ifdDriverOptions; 0x0001: ok")
  void escapeOption() throws Exception {
    pcscdRunning();
    String plist = "<dict>\n<key>ifdDriverOptions</key>\n<string>0x0000</string>\n</dict>";
    write("/etc/libccid_Info.plist", plist);
    Supplier<List<Pcsc.ReaderInfo>> acr =
        () ->
            List.of(new Pcsc.ReaderInfo("ACS ACR122U PICC Interface 00 00", true, "3B8080010101"));
    List<Finding> findings = examine(acr);
    Finding escape = find(findings, "ACR122U escape");
    assertEquals(Finding.Severity.WARN, escape.severity());
    assertTrue(escape.fix().orElseThrow().contains("<string>0x0001</string>"));
    assertTrue(Doctor.ready(findings), "a warning does not block the run");
    write("/etc/libccid_Info.plist", plist.replace("0x0000", "0x0005"));
    assertEquals(Finding.Severity.OK, find(examine(acr), "ACR122U escape").severity());
    assertEquals(Finding.Severity.OK, find(examine(acr), "readers").severity());
  }

  @Test
  @DisplayName("the virtual rig needs nothing from the host")
  void virtualRig() {
    List<Finding> findings =
        new Doctor(new Host(root), PCSCD_DOWN)
            .examine(RigConfig.load(ConfigSource.embedded(RigConfig.EMBEDDED)), AUTO);
    assertTrue(Doctor.ready(findings));
  }
}
