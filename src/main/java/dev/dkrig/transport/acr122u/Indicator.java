package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Bytes;
import java.time.Duration;

/**
 * What the ACR122U's LED and buzzer tell the person at the bench during a run, as named states.
 *
 * <p>Each state is one {@code FF 00 40 <LEDctl> 04 <T1> <T2> <repetitions> <buzzer>} command (notes
 * §2.2). LEDctl bits: 0 final red, 1 final green, 2 red mask (update red), 3 green mask (update
 * green), 4 initial red blinking state, 5 initial green blinking state, 6 red blinking mask, 7
 * green blinking mask. T1 (first phase) and T2 (second phase) count 100 ms; the buzzer sounds
 * during T1 ({@code 01}), T2 ({@code 02}) or both ({@code 03}). The reader answers {@code 90 <LED
 * state>} only after the whole sequence, so a command blocks for {@link #blocksFor()}: every state
 * here stays at or below two seconds, and WAITING_FOR_TAP is one short blink that the caller
 * repeats between polls.
 *
 * <table>
 *   <caption>States and bytes</caption>
 *   <tr><th>state</th><th>bytes</th><th>shows</th></tr>
 *   <tr><td>OFF</td><td>FF 00 40 0C 04 00 00 00 00</td><td>both LEDs off</td></tr>
 *   <tr><td>READY</td><td>FF 00 40 0E 04 00 00 00 00</td><td>green</td></tr>
 *   <tr><td>WAITING_FOR_TAP</td><td>FF 00 40 AE 04 02 02 01 00</td><td>green blinks</td></tr>
 *   <tr><td>PAIRING</td><td>FF 00 40 0F 04 00 00 00 00</td><td>orange (red and green)</td></tr>
 *   <tr><td>PASS</td><td>FF 00 40 0E 04 01 00 01 01</td><td>green, 0.1 s beep</td></tr>
 *   <tr><td>FAIL</td><td>FF 00 40 0D 04 0A 00 01 01</td><td>red, 1 s beep</td></tr>
 *   <tr><td>ERROR</td><td>FF 00 40 5D 04 05 05 02 01</td><td>red blinks, two 0.5 s beeps</td></tr>
 * </table>
 */
public enum Indicator {
  /** Rig closed: both LEDs off. */
  OFF(0x0C, 0, 0, 0, 0, "both LEDs off: the rig is not using the reader"),
  /** Rig connected, no run in progress. */
  READY(0x0E, 0, 0, 0, 0, "green: the rig holds the reader, no run in progress"),
  /** Polling for the phone (P1.6.1); one blink of 0.4 s, repeated by the caller while it polls. */
  WAITING_FOR_TAP(0xAE, 2, 2, 1, 0, "green blinking: place the phone on the pad (antenna centre)"),
  /** A phone is in the field and a transaction is running: do not move it. */
  PAIRING(0x0F, 0, 0, 0, 0, "orange: pairing in progress, keep the phone still on the pad"),
  /** The run ended PASS. */
  PASS(0x0E, 1, 0, 1, 1, "green with a short beep: PASS"),
  /** The run ended FAIL: the device did something wrong. */
  FAIL(0x0D, 10, 0, 1, 1, "red with a long beep: FAIL (the phone misbehaved; see the report)"),
  /** The run ended ERROR: the bench could not run a step (tag lost, reader, service). */
  ERROR(
      0x5D,
      5,
      5,
      2,
      1,
      "red blinking with two beeps: ERROR (the bench, not the phone; see the report)");

  private final int ledControl;
  private final int t1;
  private final int t2;
  private final int repetitions;
  private final int buzzer;
  private final String meaning;

  Indicator(int ledControl, int t1, int t2, int repetitions, int buzzer, String meaning) {
    this.ledControl = ledControl;
    this.t1 = t1;
    this.t2 = t2;
    this.repetitions = repetitions;
    this.buzzer = buzzer;
    this.meaning = meaning;
  }

  /** The pseudo-APDU {@code FF 00 40 <LEDctl> 04 <T1> <T2> <repetitions> <buzzer>}. */
  public byte[] command() {
    return Bytes.of(0xFF, 0x00, 0x40, ledControl, 0x04, t1, t2, repetitions, buzzer);
  }

  /** How long the reader takes to answer: repetitions × (T1 + T2) × 100 ms. */
  public Duration blocksFor() {
    return Duration.ofMillis(100L * repetitions * (t1 + t2));
  }

  /** One line for the bench documentation and the console. */
  public String meaning() {
    return meaning;
  }
}
