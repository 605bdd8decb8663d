/**
 * Emulation: the rig's virtual device played to real reader stacks, so the rig's real transports,
 * and tools that only know a reader (javax.smartcardio, {@code pcsc_scan}, {@code nfc-list}), can
 * talk to it without a bench. {@link dev.dkrig.emulate.VpcdCardServer} puts a {@link
 * dev.dkrig.iso7816.ContactlessCard} into a pcscd reader slot through the vsmartcard {@code vpcd}
 * driver ({@link dev.dkrig.emulate.ContactlessAtr} builds the ATR such a reader reports); {@link
 * dev.dkrig.emulate.Pn532Emulator} is a PN532 board on a serial port (a pty in CI) with the card as
 * its target. {@link dev.dkrig.emulate.Pn532TargetEmulator} is the other way round: the phone's
 * PN532 board in card emulation on a serial port, whose field is a {@link
 * dev.dkrig.emulate.VpcdField} (a pcscd slot), so a PC/SC vehicle reaches a phone on the serial
 * line.
 *
 * <h2>vpcd, as {@link dev.dkrig.emulate.VpcdCardServer} plays it</h2>
 *
 * <p>vpcd is the TCP server and the card is the client: a connected socket is a card in the field,
 * a closed one a card taken away. Both directions carry frames of a big-endian u16 length and a
 * payload. A one-byte frame from vpcd is a control byte: {@code 00} power off ({@link
 * dev.dkrig.iso7816.ContactlessCard#deactivate()}), {@code 01} power on ({@link
 * dev.dkrig.iso7816.ContactlessCard#activate()}), {@code 02} reset (both), {@code 04} "send your
 * ATR", which pcscd sends every polling period even when idle to check the card is still there.
 * Every other frame is a command APDU, answered with {@link
 * dev.dkrig.iso7816.ContactlessCard#process(byte[])}: a one-byte frame that is no control byte and
 * an empty frame too (malformed: the virtual device answers {@code 6700}), for vpcd waits for an
 * answer with no timeout, and so would pcscd and the vehicle behind it (issue 19).
 *
 * <p>Two commands never reach the card as such. vpcd 3.3 sends no frame at all for a zero-length
 * command and then waits for the answer; a one-byte command {@code 00}, {@code 01} or {@code 02}
 * arrives as the control byte of the same value. Either way vpcd then falls silent, holding its
 * reader lock, where otherwise pcscd's presence polls ({@code 04}) come every 0.4 s. So when vpcd
 * has said nothing for the pending-command silence (2 s) after a frame, the server takes it to be
 * waiting and has the card answer that command (after a {@code 00} the card is powered again
 * first), and so on after each further silence: back-to-back zero-length commands have nothing in
 * between. A one-byte command {@code 04} is answered with the ATR, as vpcd cannot tell it from its
 * ATR request.
 *
 * <p>Only a pcscd stalled that long (after a real {@code 00}, or after an answer) is misread: the
 * unasked answer would wait in the socket and every later answer would reach vpcd one frame late.
 * So an answer given on silence stays unconfirmed until vpcd proves it asked for it, by waiting for
 * the answer to its next frame: the server holds the answer to each frame that needs one (an APDU,
 * {@code 04}) for the pending-command silence. vpcd sends nothing while it waits; a frame arriving
 * meanwhile shows it took the unasked answer for the held frame, which is then dropped unprocessed
 * (the caller got that stale answer; the listener hears {@code desynchronised}), and the link is in
 * step again. Measured with pcscd 1.9.9 (idle poll every 0.45 s): under a load of 16 on two cores
 * the longest gap between two polls was 0.84 s, so a misfire needs a stall longer than CPU load
 * alone makes, and the hold repairs it unless pcscd stalls a second time.
 *
 * <p>Timing: Debian's vpcd 3.3 writes the length and the payload of a frame in two segments, so
 * with delayed ACK and Nagle every APDU would stall about 45 ms. The server sets {@code
 * TCP_NODELAY}, writes each frame in one piece and re-arms {@code TCP_QUICKACK} before and after
 * every read (Linux clears it).
 *
 * <p>A silent card ({@code process} returns {@code null}): vpcd waits for the answer with no
 * timeout, holding its reader lock, so the caller's transmit blocks and pcscd still sees the card
 * present, as with a mute phone lying on the pad. After the silence limit (default T_Apdu + 1 s, so
 * that the rig's own T_Apdu decides first) the server drops the link. vpcd 3.3 then hands pcscd an
 * <em>empty</em> response and ejects the card: javax.smartcardio's {@code transmit} throws {@code
 * IllegalArgumentException: apdu must be at least 2 bytes long}, later calls {@code
 * SCARD_E_NOT_TRANSACTED} or {@code SCARD_W_REMOVED_CARD}. The server then inserts the card again
 * after its reconnect backoff, as a reader finds a phone still lying on it. An empty response from
 * the card is treated as silence: a zero-length frame would leave vpcd waiting for the next byte.
 *
 * <p>Whenever its link ends the card stays out of the field for at least 1 s, so that one of
 * pcscd's presence polls (every 0.4 s) finds the slot empty; otherwise pcscd could take the new
 * connection for the old card and never power it up.
 *
 * <p>Taking the card away ({@link dev.dkrig.emulate.VpcdCardServer#remove()}, {@link
 * dev.dkrig.emulate.VpcdCardServer#vanishAfter}) resets the connection (RST) rather than closing it
 * politely: vpcd's next write then fails and pcscd answers {@code SCARD_E_NOT_TRANSACTED}, where a
 * plain close would make vpcd 3.3 report an empty response again. Once pcscd's next presence poll
 * has seen the card gone (up to one polling period, about 0.4 s), transmit on the old card handle
 * fails with {@code SCARD_W_REMOVED_CARD}.
 */
package dev.dkrig.emulate;
