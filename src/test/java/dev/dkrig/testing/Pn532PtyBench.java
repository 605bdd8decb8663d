package dev.dkrig.testing;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.T1Material;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.time.FixedClock;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serial bench in CI: a socat pty pair, the PN532 emulator on its device end with a card, and
 * the host end for a transport or libnfc. Closing it stops the emulator and socat.
 */
public final class Pn532PtyBench implements AutoCloseable {
  private final SocatPty pty;
  private final Pn532Emulator emulator;
  private final CountingCard card;

  private Pn532PtyBench(SocatPty pty, Pn532Emulator emulator, CountingCard card) {
    this.pty = pty;
    this.emulator = emulator;
    this.card = card;
  }

  /** The T1 device (§17.4: T1 settings, test-mode draws, the T1 clocks) behind the emulator. */
  public static VirtualDevice t1Device() {
    return new VirtualDevice(
        DeviceSettings.t1(),
        new TestModeDraws(),
        new FixedClock(T1Material.DEVICE_CLOCK),
        new FixedClock(T1Material.KTS_CLOCK));
  }

  public static Pn532PtyBench start(Path directory, ContactlessCard card)
      throws IOException, InterruptedException {
    return start(directory, card, Pn532Emulator.Options.defaults());
  }

  public static Pn532PtyBench start(
      Path directory, ContactlessCard card, Pn532Emulator.Options options)
      throws IOException, InterruptedException {
    return start(directory, card, options, false);
  }

  /**
   * @param checkHostSpeed whether the emulator reads the host side's line speed ({@code stty -F
   *     host speed}: a pty keeps the speed a program sets) and ignores frames sent at another speed
   *     than its own, as a real board hears noise
   */
  public static Pn532PtyBench start(
      Path directory, ContactlessCard card, Pn532Emulator.Options options, boolean checkHostSpeed)
      throws IOException, InterruptedException {
    SocatPty pty = SocatPty.start(directory);
    if (checkHostSpeed) {
      options = options.withBoard(options.board().withHostBaudRate(() -> speedOf(pty.host())));
    }
    CountingCard counting = new CountingCard(card);
    try {
      return new Pn532PtyBench(
          pty, Pn532Emulator.serve(pty.device().toString(), counting, options), counting);
    } catch (IOException | RuntimeException e) {
      pty.close();
      throw e;
    }
  }

  /** The termios speed of a tty, as {@code stty -F PATH speed} prints it; -1 if unreadable. */
  static int speedOf(Path tty) {
    try {
      Process stty =
          new ProcessBuilder("stty", "-F", tty.toString(), "speed")
              .redirectErrorStream(true)
              .start();
      String out = new String(stty.getInputStream().readAllBytes()).trim();
      return stty.waitFor() == 0 ? Integer.parseInt(out) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Transport settings for the host end: the defaults, with board timeouts a loaded CI machine
   * meets (the first frames pay for class loading on both sides).
   */
  public Pn532UartSettings settings() {
    return Pn532UartSettings.of(pty.host().toString(), DkProfile.T_APDU)
        .withBoardTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  public SocatPty pty() {
    return pty;
  }

  public Pn532Emulator emulator() {
    return emulator;
  }

  /** Activations of the card so far (InListPassiveTarget finding it). */
  public int activations() {
    return card.activations.get();
  }

  /** Deactivations so far (InDeselect, InRelease, field off). */
  public int deactivations() {
    return card.deactivations.get();
  }

  @Override
  public void close() {
    emulator.close();
    pty.close();
  }

  /** Counts what the emulator does to the card. */
  private static final class CountingCard implements ContactlessCard {
    private final ContactlessCard card;
    private final AtomicInteger activations = new AtomicInteger();
    private final AtomicInteger deactivations = new AtomicInteger();

    CountingCard(ContactlessCard card) {
      this.card = card;
    }

    @Override
    public void activate() {
      activations.incrementAndGet();
      card.activate();
    }

    @Override
    public byte[] process(byte[] command) {
      return card.process(command);
    }

    @Override
    public void deactivate() {
      deactivations.incrementAndGet();
      card.deactivate();
    }
  }
}
