package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.pki.DkIdentifier;

/** GET DATA 7F26 reported the key created (§8.2), after {@code polls} polls. */
public record KeyCreated(DkIdentifier dkIdentifier, int polls) {}
