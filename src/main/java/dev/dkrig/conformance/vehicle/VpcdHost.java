package dev.dkrig.conformance.vehicle;

import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.iso7816.ContactlessCard;
import java.time.Duration;

/**
 * The suite's phone in a pcscd reader slot through vpcd ({@code suite --role phone --vpcd}): one
 * {@link VpcdCardServer} for the whole suite, carrying each scenario's phone in turn. Leaving the
 * field is the card taken out of the slot and put back ({@link VpcdCardServer#leaveFor}).
 */
public final class VpcdHost implements PhoneHost {
  private final SwappableCard card = new SwappableCard(silent());
  private final VpcdCardServer server;
  private final VpcdEndpoint endpoint;

  public VpcdHost(VpcdEndpoint endpoint) {
    this.endpoint = endpoint;
    this.server = VpcdCardServer.builder(card).endpoint(endpoint).build().start();
  }

  @Override
  public void serve(ContactlessCard next) {
    card.swap(next);
  }

  @Override
  public void leaveField(Duration absence) {
    server.leaveFor(absence);
  }

  @Override
  public String description() {
    return "vpcd " + endpoint + " (the rig is the phone)";
  }

  @Override
  public void close() {
    server.close();
  }

  /** Between scenarios nobody answers: a phone not yet on the pad. */
  private static ContactlessCard silent() {
    return new ContactlessCard() {
      @Override
      public void activate() {}

      @Override
      public byte[] process(byte[] command) {
        return null;
      }

      @Override
      public void deactivate() {}
    };
  }
}
