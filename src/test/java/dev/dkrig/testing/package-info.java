/**
 * Test support: the contract's vectors ({@link dev.dkrig.testing.Vectors}), polling with deadlines
 * ({@link dev.dkrig.testing.Poll}) and a test-owned pcscd ({@link dev.dkrig.testing.Pcscd}).
 *
 * <p>Facts the PC/SC tests rely on, each checked on Debian 12 (OpenJDK 17.0.15, pcscd 1.9.9,
 * vsmartcard-vpcd 3.3) with throwaway probes before the code was written:
 *
 * <ul>
 *   <li>The JDK's PC/SC context is static per JVM and dies for good when pcscd restarts, so every
 *       surefire test shares one pcscd lifetime ({@code Pcscd.shared()}); tests that restart pcscd
 *       run in a JVM that never opens PC/SC (failsafe, {@code *IT}).
 *   <li>{@code TerminalFactory.getInstance("PC/SC", null)}, not {@code getDefault()}, which turns a
 *       missing pcscd into an empty reader list for the life of the JVM.
 *   <li>One pcscd per machine: pcscd 1.9.9 ignores {@code PCSCLITE_CSOCK_NAME} and a second daemon
 *       exits. A kill -9 leaves {@code /run/pcscd/pcscd.pid} (which may end in a NUL) and {@code
 *       pcscd.comm} behind; SIGTERM removes them.
 *   <li>vpcd polls a card with {@code 04} (ATR) about every 0.4 s, idle or not; a card that
 *       connects is reported present after 0.1 to 1.8 s.
 *   <li>Without {@code TCP_QUICKACK} an APDU takes about 49 ms (vpcd writes length and payload
 *       separately); with it about 0.2 ms.
 *   <li>vpcd waits for an answer without a timeout, holding its reader lock. When the card drops
 *       the link instead, vpcd 3.3 reports an empty response as success (its length check compares
 *       signed with unsigned) and the JDK throws {@code IllegalArgumentException} from {@code
 *       transmit}; a zero-length frame from the card leaves vpcd blocked until the next byte.
 *   <li>A card that resets its connection makes the next transmit fail with {@code
 *       SCARD_E_NOT_TRANSACTED}; once pcscd's presence poll has seen it gone, with {@code
 *       SCARD_W_REMOVED_CARD} (the first time: the JDK then marks the {@code Card} removed).
 *   <li>vpcd accepts a waiting card in the same poll that finds the old one gone; if the old one
 *       was ejected during a transmit no poll sees the slot empty, pcscd never powers the new card
 *       up, and a device that waits for power-on stays silent. Hence a second of absence between
 *       two insertions.
 *   <li>With {@code -Dsun.security.smartcardio.t1GetResponse=false} (surefire's argLine) a {@code
 *       61XX} reaches the caller; without it the JDK sends GET RESPONSE with the command's CLA.
 * </ul>
 */
package dev.dkrig.testing;
