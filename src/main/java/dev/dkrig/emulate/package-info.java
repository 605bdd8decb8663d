/**
 * Emulation: the rig's virtual device played to real reader stacks, so the rig's real transports,
 * and tools that only know a reader (javax.smartcardio, {@code pcsc_scan}, {@code nfc-list}), can
 * talk to it without a bench. {@link dev.dkrig.emulate.VpcdCardServer} puts a {@link
 * dev.dkrig.transport.ContactlessCard} into a pcscd reader slot through the vsmartcard {@code vpcd}
 * driver ({@link dev.dkrig.emulate.ContactlessAtr} builds the ATR such a reader reports); {@link
 * dev.dkrig.emulate.Pn532Emulator} is a PN532 board on a serial port (a pty in CI) with the card as
 * its target.
 */
package dev.dkrig.emulate;
