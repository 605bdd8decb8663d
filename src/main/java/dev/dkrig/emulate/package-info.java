/**
 * Emulation: the rig's virtual device played to real reader stacks, so tools that only know a
 * reader (javax.smartcardio, {@code pcsc_scan}, {@code scriptor}, another rig) can talk to it.
 * {@link dev.dkrig.emulate.VpcdCardServer} puts a {@link dev.dkrig.transport.ContactlessCard} into
 * a pcscd reader slot through the vsmartcard {@code vpcd} driver; {@link
 * dev.dkrig.emulate.ContactlessAtr} builds the ATR such a reader reports for a contactless card.
 */
package dev.dkrig.emulate;
