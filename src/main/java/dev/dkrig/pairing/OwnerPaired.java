package dev.dkrig.pairing;

import java.time.Instant;

/** Phase 3's hand-off: the agreed applet version and when owner pairing completed (P3.6). */
record OwnerPaired(int agreedApplet, Instant completedAt) {}
