package dev.dkrig.pairing;

import dev.dkrig.pairing.protocol.Negotiated;

/** Phase 2's hand-off: the versions agreed in P2.2, the DK stored PAIRED_PENDING in P2.8. */
record DkCreated(Negotiated negotiated) {}
