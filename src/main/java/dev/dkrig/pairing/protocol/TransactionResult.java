package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionKeys;

/**
 * A standard transaction after AUTH1 passed the checks of §11.6: the device's plaintext (key slot,
 * SigBmp) and the transaction keys, whose applet channel is open.
 */
public record TransactionResult(Auth1ResponsePlaintext auth1, TransactionKeys keys) {}
