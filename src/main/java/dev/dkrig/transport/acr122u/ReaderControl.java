package dev.dkrig.transport.acr122u;

/**
 * The seam between the ACR122U logic and PC/SC: the two ways a host talks to the reader's MCU.
 *
 * <p>The lead's PC/SC transport implements it over javax.smartcardio; tests use a scripted fake,
 * because vpcd has no control channel (notes §0 item 7: {@code SCardControl} answers {@code
 * SCARD_E_UNSUPPORTED_FEATURE}).
 *
 * <ul>
 *   <li>{@link #control} is {@code SCardControl} ({@code Card.transmitControlCommand}), the escape
 *       path. It works while no tag is present, on a connection opened with {@code
 *       terminal.connect("direct")} (notes §1.4, §2.1). libccid accepts it only with {@code
 *       ifdDriverOptions} bit 0x0001 set ({@link EscapeCodes#IFD_DRIVER_OPTIONS_HELP}).
 *   <li>{@link #transmit} is {@code SCardTransmit} on a card connection ({@code connect("*")}),
 *       available while the reader has activated a tag (Mode A). The ACR122U also takes its {@code
 *       FF ...} pseudo-APDUs on this path (notes §2.2).
 * </ul>
 *
 * <p>Both methods return the reader's bytes untouched: no status-word interpretation, no automatic
 * GET RESPONSE (the firmware-version answer carries no status word at all, notes §2.2). With
 * javax.smartcardio use {@code CardChannel.transmit(ByteBuffer, ByteBuffer)} for the raw form.
 *
 * <p>Failures are {@link dev.dkrig.transport.TransportException}s: {@code READER_GONE} when the
 * reader was unplugged, {@code SERVICE_DOWN} when pcscd is gone, {@code TAG_LOST} when a card
 * connection lost its card ({@code SCARD_W_REMOVED_CARD}), {@code IO} for anything else, including
 * a refused escape command ({@code SCARD_E_NOT_TRANSACTED} from libccid without the option). {@link
 * Acr122u} turns an {@code IO} failure of {@link #control} into {@link
 * Acr122uException.Reason#ESCAPE_FAILED} with the fix.
 */
public interface ReaderControl {

  /** How the host is connected to the reader right now. */
  enum Connection {
    /** {@code SCARD_SHARE_DIRECT}: no card, reader commands go through {@link #control}. */
    DIRECT,
    /** A card (the phone) is connected: reader commands go through {@link #transmit}. */
    CARD
  }

  /**
   * The current connection. {@link Acr122u} asks before every command, so an implementation that
   * lost its card (the field went off, the phone left) and reconnected in direct mode must say so
   * here.
   */
  Connection connection();

  /**
   * {@code SCardControl(controlCode, command)}: the escape path to the reader's MCU.
   *
   * @param controlCode the platform's escape control code ({@link EscapeCodes})
   * @return the reader's answer, raw
   */
  byte[] control(int controlCode, byte[] command);

  /**
   * {@code SCardTransmit(apdu)} on the card connection.
   *
   * @return the reader's answer, raw
   */
  byte[] transmit(byte[] apdu);
}
