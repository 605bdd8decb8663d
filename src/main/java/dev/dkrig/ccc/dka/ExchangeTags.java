package dev.dkrig.ccc.dka;

/** The sub-TLV tags of the EXCHANGE operations (§11.7 [profile]). */
final class ExchangeTags {
  static final int MAILBOX_ID = 0x80;
  static final int OFFSET = 0x81;
  static final int LENGTH = 0x82;
  static final int DATA = 0x83;

  private ExchangeTags() {}
}
