/**
 * The ACR122U-specific layer of the PC/SC transport: the escape channel and its control codes
 * ({@link dev.dkrig.transport.acr122u.EscapeCodes}), the reader's pseudo-APDUs and the PN532 behind
 * it ({@link dev.dkrig.transport.acr122u.Acr122u}), LED and buzzer states ({@link
 * dev.dkrig.transport.acr122u.Indicator}) and the frame-size arithmetic that decides which path
 * carries the contract's APDUs ({@link dev.dkrig.transport.acr122u.FrameLimits}). The PN532 chip's
 * own types (status byte, MaxRetries, Apple ECP frames) come from {@link
 * dev.dkrig.transport.pn532}: the ACR122U contains a PN532, so this package depends on that one and
 * never the other way.
 *
 * <p>Everything here talks to hardware only through {@link
 * dev.dkrig.transport.acr122u.ReaderControl}, which the PC/SC transport implements; the bench notes
 * (§2) are the source of every byte, and hardware.md at the repository root is the lab engineer's
 * guide.
 */
package dev.dkrig.transport.acr122u;
