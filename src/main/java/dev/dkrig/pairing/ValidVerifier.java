package dev.dkrig.pairing;

import dev.dkrig.ccc.spake2.Verifier;

/** P1.4's hand-off: a valid SPAKE2+ verifier, and whether its attempt counter is persisted. */
record ValidVerifier(Verifier verifier, boolean persistent) {}
