/**
 * A bare PN532 board on a serial line (HSU/UART) as the pad's reader, without PC/SC (notes §3).
 *
 * <p>{@link dev.dkrig.transport.pn532.Pn532UartTransport} is the {@link
 * dev.dkrig.transport.NfcTransport}, driven as its {@link
 * dev.dkrig.transport.pn532.Pn532UartSettings} say (T_Apdu given by whoever builds it); {@code
 * Pn532HsuLink} is the HSU link protocol under it (ACK, one retransmission after NACK, one NACK
 * after a garbled answer, abort); below that, {@link dev.dkrig.transport.pn532.Pn532Frame} is the
 * frame codec (normal, extended, ACK, NACK, error frame) with named errors ({@link
 * dev.dkrig.transport.pn532.Pn532FrameException}), {@link
 * dev.dkrig.transport.pn532.Pn532FrameDecoder} finds frames in a byte stream, {@link
 * dev.dkrig.transport.pn532.Pn532FrameLink} carries them over a {@link
 * dev.dkrig.transport.pn532.SerialLink}, and {@link dev.dkrig.transport.pn532.JSerialCommLink} is
 * the jSerialComm port behind that seam. {@link dev.dkrig.transport.pn532.Pn532FrameLimits} shows
 * why the contract's largest command needs an extended frame. The board-side counterpart, used in
 * CI over a socat pty pair, is {@code dev.dkrig.emulate.Pn532Emulator}.
 *
 * <p>The phone role uses the same link the other way round: {@link
 * dev.dkrig.transport.pn532.Pn532CardEmulation} puts the board into ISO 14443-4 PICC card emulation
 * (TgInitAsTarget, TgGetData, TgSetData with MI) so that a {@link
 * dev.dkrig.iso7816.ContactlessCard} answers a vehicle's reader; its emulated counterpart is {@code
 * dev.dkrig.emulate.Pn532TargetEmulator}.
 *
 * <p>The PN532 chip's own types live here too, the status byte ({@link
 * dev.dkrig.transport.pn532.Pn532Status}), MaxRetries ({@link
 * dev.dkrig.transport.pn532.MaxRetries}) and Apple ECP frames ({@link
 * dev.dkrig.transport.pn532.EcpFrame}, {@link dev.dkrig.transport.pn532.EcpRound}, {@link
 * dev.dkrig.transport.pn532.CrcA}): the ACR122U code (the sibling package {@code acr122u}), whose
 * reader has a PN532 inside, uses them; nothing here uses it.
 */
package dev.dkrig.transport.pn532;
