package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.dka.TransactionKeys;

/** The vehicle's half of a standard transaction after AUTH0 (§11.2–11.3). */
public record TransactionPending(TransactionContext context, TransactionKeys keys) {}
