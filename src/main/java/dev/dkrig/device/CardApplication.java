package dev.dkrig.device;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;

/**
 * One application on the virtual device (the DK Framework or the DK applet) as the dispatcher of
 * {@link VirtualDevice} sees it: which commands it knows, whether it holds session keys, and the
 * rest of the §18.10 checks (P1/P2, state, MAC, content) inside {@link #process}.
 */
interface CardApplication {

  /** Whether the INS is one of this application's commands (else {@code 6D00}). */
  boolean supportsIns(int ins);

  /** The CLA the command with this INS must carry (else {@code 6E00}). */
  int claOf(int ins);

  /** Whether session keys exist (a CLA {@code 84} command without them gets {@code 6985}). */
  boolean hasSessionKeys();

  /**
   * Runs a command past the dispatcher's checks.
   *
   * @throws StatusWordException with the status word to answer
   */
  ResponseApdu process(CommandApdu command);

  /** §6.5: any command other than GET RESPONSE discards a pending response chain. */
  void discardChain();

  /** After any status word other than {@code 9000}/{@code 61XX} (§3.5, §3.6). */
  void afterErrorStatus();

  /** Deactivation, or selection of another application (§3.6, §18.4). */
  void deactivate();
}
