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
 * Longer frames are command APDUs, answered with {@link
 * dev.dkrig.iso7816.ContactlessCard#process(byte[])}.
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
