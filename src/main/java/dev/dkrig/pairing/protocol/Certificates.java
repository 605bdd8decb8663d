package dev.dkrig.pairing.protocol;

/** The three objects of P2.6 as read (§8.2): F (7F24), E (7F22) and H (7F20). */
public record Certificates(byte[] deviceOemCa, byte[] instanceCa, byte[] endpoint) {}
