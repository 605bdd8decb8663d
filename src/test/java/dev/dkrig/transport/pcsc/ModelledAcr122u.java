package dev.dkrig.transport.pcsc;

import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ACR122U with a phone, behind {@link FakeReader}: the reader layer the PC/SC transport's unit
 * tests run against (issue 16). It keeps the PICC operating parameter and answers {@code FF 00
 * 50}/{@code 51} in the form a unit chooses ({@link PiccForm}), drives a PN532 through Direct
 * Transmit, polls by itself while auto polling is on (each {@code waitForCardPresent} is a round of
 * the firmware's polling, one poll per 250 ms), and carries a phone.
 *
 * <p>The phone is an iPhone waiting for car pairing (the public ECP frame list): it answers no poll
 * until it has seen the car-pairing ECP frame, ignores the poll right after that frame (it shows
 * its pairing sheet), and answers every later poll, the firmware's (the phone becomes the PC/SC
 * card) or InListPassiveTarget's (the PN532 holds it as target 1).
 */
final class ModelledAcr122u {

  /** How the unit answers {@code FF 00 50} and {@code FF 00 51}. */
  enum PiccForm {
    /** {@code 90 <parameter>}: ACS API v2.04. */
    STATUS_AND_VALUE,
    /** The bare parameter byte ({@code 7F}): firmware 2.15 and others. */
    BARE_VALUE,
    /** A bare {@code 00} to every {@code FF 00 51}, the bare parameter to {@code FF 00 50}. */
    BARE_ZERO
  }

  static final String NAME = "ACS ACR122U PICC Interface 00 00";
  static final String TARGET = "01 00 04 20 04 08 AA BB CC 05 78 80 70 02";

  final FakeReader reader = new FakeReader(NAME);
  final List<String> maxRetries = new ArrayList<>();
  PiccForm piccForm = PiccForm.STATUS_AND_VALUE;
  int parameter = 0xFF;
  boolean phoneOnPad;
  boolean sawEcp;
  boolean ignoreNextPoll;
  boolean heldByPn532;
  int ecpFrames;
  int pollsIgnored;

  ModelledAcr122u() {
    reader.present = false;
    reader.controls = this::answer;
    reader.apdus = command -> (command[0] & 0xFF) == 0xFF ? answer(command) : Hex.decode("9000");
    reader.onWait = this::firmwarePolls;
  }

  boolean autoPolling() {
    return (parameter & 0x80) != 0;
  }

  private void firmwarePolls(long timeoutMillis) {
    if (!autoPolling() || heldByPn532) {
      return;
    }
    for (long polls = Math.max(1, timeoutMillis / 250); polls > 0; polls--) {
      if (phoneAnswers()) {
        reader.present = true;
        return;
      }
    }
  }

  private boolean phoneAnswers() {
    if (!phoneOnPad || !sawEcp) {
      return false;
    }
    if (ignoreNextPoll) {
      ignoreNextPoll = false;
      pollsIgnored++;
      return false;
    }
    return true;
  }

  private byte[] answer(byte[] command) {
    String hex = Hex.encode(command);
    if (hex.equals("FF00480000")) {
      return "ACR122U215".getBytes(StandardCharsets.US_ASCII);
    }
    if (hex.equals("FF00500000")) {
      return piccForm == PiccForm.STATUS_AND_VALUE
          ? new byte[] {(byte) 0x90, (byte) parameter}
          : new byte[] {(byte) parameter};
    }
    if (hex.startsWith("FF0051") && command.length == 5) {
      parameter = command[3] & 0xFF;
      return picc(parameter);
    }
    if (hex.startsWith("FF0040")) {
      return Hex.decode("9002");
    }
    if (hex.startsWith("FF000000") && command.length > 6) {
      return pn532(Arrays.copyOfRange(command, 6, command.length));
    }
    return Hex.decode("6300");
  }

  private byte[] picc(int value) {
    return switch (piccForm) {
      case STATUS_AND_VALUE -> new byte[] {(byte) 0x90, (byte) value};
      case BARE_VALUE -> new byte[] {(byte) value};
      case BARE_ZERO -> new byte[] {0x00};
    };
  }

  /** {@code <cmd> <params>} after {@code D4}: the PN532's answer with {@code 90 00}. */
  private byte[] pn532(byte[] command) {
    int code = command[0] & 0xFF;
    String params = Hex.encode(Arrays.copyOfRange(command, 1, command.length));
    String data = "";
    switch (code) {
      case 0x32 -> {
        if (params.startsWith("05")) {
          maxRetries.add(params.substring(2));
        }
      }
      case 0x4A -> {
        if (autoPolling()) {
          // The controller polls by itself: the host's PN532 commands collide with it.
          return Hex.decode("6300");
        }
        if (phoneAnswers()) {
          heldByPn532 = true;
          data = TARGET;
        } else {
          data = "00";
        }
      }
      case 0x42 -> {
        if (params.startsWith("6A02")
            && (params.startsWith("09", 8) || params.startsWith("0B", 8))) {
          ecpFrames++;
          sawEcp = true;
          ignoreNextPoll = true;
        }
        data = "01";
      }
      case 0x44 -> data = "00";
      case 0x52 -> {
        heldByPn532 = false;
        data = "00";
      }
      default -> data = "";
    }
    return Hex.decode("D5" + Hex.u8(code + 1) + data.replace(" ", "") + "9000");
  }
}
