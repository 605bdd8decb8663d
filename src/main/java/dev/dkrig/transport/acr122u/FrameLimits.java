package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.CommandApdu;
import java.util.ArrayList;
import java.util.List;

/**
 * Which contract APDUs fit which ACR122U path, and why the rig sends APDUs in Mode A only.
 *
 * <h2>Mode A: the reader polls, plain {@code SCardTransmit}</h2>
 *
 * The ACR122U is a short-APDU CCID reader with {@code dwMaxCCIDMessageLength} = 271 (notes §2.1). A
 * CCID message has a 10-byte header, so a command APDU may be {@value #MODE_A_MAX_APDU} bytes:
 * exactly the longest short APDU, {@code 4 + 1 + 255 + 1}. The contract allows short APDUs only
 * (§3.2) and its longest command is a full protected WRITE DATA, {@code 84 D4 P1 00 F8 <248> 00} =
 * 254 bytes, so <b>every contract APDU fits Mode A</b>. Its longest response is 248 bytes of
 * protected data plus SW = 250 bytes. The PN532 does ISO-DEP chaining below the APDU:
 * phone-to-reader frames are at most FSD = {@value #ACR122U_FSD} bytes (the ACR122U's RATS is
 * {@code E0 50}, notes §2.3), i.e. 61 bytes of INF after PCB and CRC_A, so a 250-byte response
 * arrives in 5 I-blocks; reader-to-phone frames follow the phone's FSC from its ATS.
 *
 * <p>Bench check (hardware.md): how the ACR122U's controller hands a command above {@value
 * #MODE_B_MAX_APDU} bytes to its PN532 internally is not documented. The T1 transcript's WRITE DATA
 * #1 (254 bytes) is the test.
 *
 * <h2>Mode B: the host drives the PN532, Direct Transmit</h2>
 *
 * An APDU goes as {@code FF 00 00 00 Lc D4 40 01 <C-APDU>} (InDataExchange, target 1). {@code Lc}
 * is one byte (≤ 255), and the PN532 host command frame {@code D4 <cmd> <params>} that the ACR122U
 * passes on is at most {@value #PN532_HOST_FRAME_MAX} bytes (nfcpy's ACR122U driver). The second
 * limit is the tighter one: a C-APDU may be at most {@code 254 - 3} = {@value #MODE_B_MAX_APDU}
 * bytes in one frame. The 254-byte WRITE DATA does not fit. The PN532 offers the MI bit in the Tg
 * byte ({@code 0x40}) to continue a command in a further InDataExchange; libnfc has followed MI
 * since 2013 (on the PN532 it drives itself), but nothing public shows MI chaining working through
 * the ACR122U's controller for an ISO-DEP target. dkrig therefore does <b>not</b> chain in Mode B:
 * it sends every contract APDU in Mode A and uses Mode B only for RF control and Apple ECP frames.
 * {@link Fit#miParts()} shows the split such chaining would need, for the record.
 *
 * <p>The contract's sizes (254 and 250) are the profile's ({@code DkProfile}, §3.2), which the
 * transport does not import: the bench gives a transport its contract numbers, and {@code
 * ProfileMeetsTransportTest} checks that they fit these frames.
 */
public final class FrameLimits {

  /** The ACR122U's {@code dwMaxCCIDMessageLength} (libccid reader description, firmware 2.07). */
  public static final int CCID_MAX_MESSAGE = 271;

  /** The CCID message header. */
  public static final int CCID_HEADER = 10;

  /** {@code 271 - 10}: the longest command APDU on the CCID link, a full short case-4 APDU. */
  public static final int MODE_A_MAX_APDU = CCID_MAX_MESSAGE - CCID_HEADER;

  /** Direct Transmit's Lc is one byte. */
  public static final int DIRECT_TRANSMIT_MAX_LC = 255;

  /** The PN532 host command frame ({@code D4 <cmd> <params>}) the ACR122U passes on. */
  public static final int PN532_HOST_FRAME_MAX = 254;

  /** {@code D4 40 <Tg>} before the APDU in an InDataExchange. */
  public static final int IN_DATA_EXCHANGE_HEADER = 3;

  /** {@code min(255, 254) - 3}: the longest C-APDU in one Mode B InDataExchange. */
  public static final int MODE_B_MAX_APDU =
      Math.min(DIRECT_TRANSMIT_MAX_LC, PN532_HOST_FRAME_MAX) - IN_DATA_EXCHANGE_HEADER;

  /** The ACR122U's FSD (RATS {@code E0 50}): the longest frame it accepts from the phone. */
  public static final int ACR122U_FSD = 64;

  /** PCB and CRC_A around an I-block's INF (one more byte when a CID is used). */
  public static final int ISO_DEP_BLOCK_OVERHEAD = 3;

  private FrameLimits() {}

  /**
   * How a command APDU fits the two paths.
   *
   * @param length the C-APDU's length in bytes
   * @param modeA whether it fits plain {@code SCardTransmit} (the path dkrig uses)
   * @param modeB whether it fits one Direct Transmit InDataExchange
   * @param miParts when it does not fit Mode B: the APDU bytes per InDataExchange that MI chaining
   *     would need (not implemented, see the class comment); empty when it fits
   */
  public record Fit(int length, boolean modeA, boolean modeB, List<Integer> miParts) {
    public Fit {
      miParts = List.copyOf(miParts);
    }

    /** One line for logs and {@code doctor}. */
    public String explanation() {
      String a =
          modeA
              ? "Mode A yes (≤ " + MODE_A_MAX_APDU + ", CCID message 271)"
              : "Mode A no (> " + MODE_A_MAX_APDU + ")";
      String b =
          modeB
              ? "Mode B yes (≤ " + MODE_B_MAX_APDU + ")"
              : "Mode B no (> "
                  + MODE_B_MAX_APDU
                  + " = 254-byte PN532 host frame - D4 40 Tg); MI chaining would send "
                  + miParts
                  + ", which dkrig does not do";
      return length + "-byte C-APDU: " + a + "; " + b;
    }
  }

  public static Fit fit(CommandApdu command) {
    return fit(command.bytes().length);
  }

  /** {@link Fit} for a C-APDU of {@code length} bytes. */
  public static Fit fit(int length) {
    if (length < 4) {
      throw new IllegalArgumentException("a C-APDU has at least 4 bytes, not " + length);
    }
    boolean modeB = length <= MODE_B_MAX_APDU;
    List<Integer> parts = new ArrayList<>();
    if (!modeB) {
      for (int left = length; left > 0; left -= MODE_B_MAX_APDU) {
        parts.add(Math.min(left, MODE_B_MAX_APDU));
      }
    }
    return new Fit(length, length <= MODE_A_MAX_APDU, modeB, parts);
  }

  /**
   * I-blocks needed to carry {@code inf} bytes in ISO-DEP frames of at most {@code frameSize} bytes
   * (PCB and CRC_A taken off, no CID): 250 bytes at FSD 64 take 5.
   */
  public static int isoDepBlocks(int inf, int frameSize) {
    int perBlock = frameSize - ISO_DEP_BLOCK_OVERHEAD;
    if (perBlock <= 0 || inf < 0) {
      throw new IllegalArgumentException("frame size " + frameSize + ", INF " + inf);
    }
    return inf == 0 ? 1 : (inf + perBlock - 1) / perBlock;
  }
}
