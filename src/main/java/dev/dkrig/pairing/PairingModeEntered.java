package dev.dkrig.pairing;

import java.time.Instant;

/** Phase 1's hand-off: the verifier and when pairing mode started (P1.6). */
record PairingModeEntered(ValidVerifier verifier, Instant since) {}
