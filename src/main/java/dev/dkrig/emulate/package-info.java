/**
 * Hardware played in software, so that the rig's real transports can be tested end to end without a
 * bench: {@link dev.dkrig.emulate.Pn532Emulator} is a PN532 board on a serial port (a pty in CI)
 * with the virtual device as its target.
 */
package dev.dkrig.emulate;
