/**
 * A bare PN532 board on a serial line (HSU/UART) as the pad's reader, without PC/SC (notes §3).
 *
 * <p>{@link dev.dkrig.transport.pn532.Pn532UartTransport} is the {@link
 * dev.dkrig.transport.NfcTransport}; below it, {@link dev.dkrig.transport.pn532.Pn532Frame} is the
 * frame codec (normal, extended, ACK, NACK, error frame) with named errors ({@link
 * dev.dkrig.transport.pn532.Pn532FrameException}), {@link
 * dev.dkrig.transport.pn532.Pn532FrameDecoder} finds frames in a byte stream, {@link
 * dev.dkrig.transport.pn532.Pn532FrameLink} carries them over a {@link
 * dev.dkrig.transport.pn532.SerialLink}, and {@link dev.dkrig.transport.pn532.JSerialCommLink} is
 * the jSerialComm port behind that seam. {@link dev.dkrig.transport.pn532.Pn532FrameLimits} shows
 * why the contract's largest command needs an extended frame. The board-side counterpart, used in
 * CI over a socat pty pair, is {@code dev.dkrig.emulate.Pn532Emulator}.
 *
 * <p>The PN532 status byte, MaxRetries and Apple ECP frames are shared with the ACR122U code
 * ({@link dev.dkrig.transport.acr122u}), whose reader has a PN532 inside.
 */
package dev.dkrig.transport.pn532;
