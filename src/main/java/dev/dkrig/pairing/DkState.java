package dev.dkrig.pairing;

/** Where a Digital Key stands in the vehicle's record (§8.6, §11.8, §12.4). */
public enum DkState {
  /** Bound at P2.6.2 but not committed: never stored; P2.8 stores it as PAIRED_PENDING. */
  UNCOMMITTED,
  /** Stored after P2.8 (OP CONTROL FLOW 11 11); deleted again when owner pairing fails. */
  PAIRED_PENDING,
  /** After P3.4: the first standard transaction ended with CONTROL FLOW 01 00. */
  ACTIVE,
  /** After P4.2.3: the KTS receipt was verified. */
  RECEIPT_VERIFIED
}
