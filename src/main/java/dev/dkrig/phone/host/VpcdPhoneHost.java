package dev.dkrig.phone.host;

import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The phone in a pcscd reader slot through the vsmartcard vpcd driver ({@link VpcdCardServer}): a
 * vehicle that speaks PC/SC on this host reaches it. The server's link ending because vpcd closed
 * it or failed is the phone's own transport failing (ERROR in the step in progress); so is a vpcd
 * that cannot be reached at all before the first contact, or an answer vpcd took for the wrong
 * command (pcscd stalled). A card taken away on purpose (closing, the device quirk {@code
 * leave-field-mid-stream}: out of the slot and back after {@link #ABSENCE}) is not.
 */
public final class VpcdPhoneHost implements PhoneHost {
  /** How long an unreachable vpcd is retried before the run is told (pcscd may be restarting). */
  static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(3);

  /** How long the phone stays away with {@code leave-field-mid-stream} (§18.18). */
  static final Duration ABSENCE = Duration.ofSeconds(1);

  private final VpcdEndpoint endpoint;
  private final RunSwitch cards = new RunSwitch(this::leaveField);
  private final VpcdCardServer server;
  private final Consumer<String> notes;
  private volatile boolean everLinked;
  private volatile long firstUnreachableNanos;
  private volatile boolean unreachableTold;

  /**
   * @param notes one line for the console and the evidence when the link changes (may be no-op)
   */
  public VpcdPhoneHost(VpcdEndpoint endpoint, Consumer<String> notes) {
    this.endpoint = endpoint;
    this.notes = notes;
    this.server = VpcdCardServer.builder(cards).endpoint(endpoint).listener(new Link()).build();
  }

  @Override
  public String description() {
    return "vpcd " + endpoint;
  }

  @Override
  public void serve(HostedPhone phone) {
    cards.switchTo(phone);
    server.start();
  }

  /** The phone left the field by itself: out of the slot, and back after {@link #ABSENCE}. */
  private void leaveField() {
    notes.accept(
        "the phone leaves the field (device quirk); back in " + ABSENCE.toMillis() + " ms");
    server.leaveFor(ABSENCE);
  }

  /** Frames vpcd had to be put back in step for (a pcscd stalled past 2 s); 0 when healthy. */
  public long resynchronisations() {
    return server.resynchronisations();
  }

  @Override
  public void close() {
    // Releases the vpcd slot: the vehicle sees the phone leave, the next process can sit there.
    server.close();
  }

  private final class Link implements VpcdCardServer.Listener {
    @Override
    public void linkUp(VpcdEndpoint at) {
      everLinked = true;
      firstUnreachableNanos = 0;
      notes.accept("in the pcscd reader slot of vpcd " + at);
    }

    @Override
    public void linkDown(VpcdEndpoint at, VpcdCardServer.LinkEnd why) {
      switch (why) {
        case VPCD_CLOSED, IO_ERROR, SILENT ->
            cards.failed("the vpcd link at " + at + " ended: " + why.description());
        case REMOVED, CLOSED -> notes.accept("out of the vpcd reader slot: " + why.description());
      }
    }

    @Override
    public void unreachable(VpcdEndpoint at, IOException cause, int attempt) {
      long now = System.nanoTime();
      if (firstUnreachableNanos == 0) {
        firstUnreachableNanos = now;
      }
      if (!everLinked
          && !unreachableTold
          && now - firstUnreachableNanos >= UNREACHABLE_GRACE.toNanos()) {
        unreachableTold = true;
        cards.failed(
            "vpcd at "
                + at
                + " cannot be reached ("
                + IoErrors.reason(cause)
                + "): is pcscd running with the vsmartcard vpcd driver on that port?");
      }
    }

    @Override
    public void desynchronised(byte[] frame) {
      if (frame.length == 1 && frame[0] == 0x04) {
        // pcscd's own presence poll took the unasked answer: no vehicle command was answered
        // wrongly, and the link is in step again.
        notes.accept(
            "pcscd stalled past the pending-command silence; its presence poll took an unasked"
                + " answer, and the vpcd link is in step again");
        return;
      }
      cards.failed(
          "the vpcd link lost step (pcscd stalled past the pending-command silence): the vehicle"
              + " got a stale answer to "
              + Hex.encode(frame)
              + "; the run is inconclusive");
    }
  }
}
