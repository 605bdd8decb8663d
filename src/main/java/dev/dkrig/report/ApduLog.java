package dev.dkrig.report;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects the APDUs that crossed the reader, per step: the evidence under each result. */
public final class ApduLog implements RunListener, WireListener {

  /** One exchange; {@code response} is null when the exchange failed (tag lost, timeout). */
  public record Entry(
      Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
    public Duration duration() {
      return Duration.between(sent, received);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final Map<Integer, String> commandPlaintexts = new java.util.HashMap<>();
  private final Map<Integer, String> responsePlaintexts = new java.util.HashMap<>();
  private String pendingCommandPlaintext;
  private final Map<Integer, Duration> turnarounds = new java.util.HashMap<>();
  private Duration pendingTurnaround;
  private final Map<String, String> secrets = new java.util.LinkedHashMap<>();

  /** Collected only with {@code --reveal-secrets}: the run emits no secret otherwise. */
  @Override
  public synchronized void secret(Step step, String name, byte[] value) {
    String key = name;
    for (int i = 2; secrets.containsKey(key); i++) {
      key = name + "#" + i;
    }
    secrets.put(key, dev.dkrig.iso7816.Hex.encode(value));
  }

  public synchronized Map<String, String> secrets() {
    return Map.copyOf(secrets);
  }

  @Override
  public synchronized void exchange(
      RunContext.Label step,
      CommandApdu command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    if (pendingCommandPlaintext != null) {
      commandPlaintexts.put(entries.size(), pendingCommandPlaintext);
      pendingCommandPlaintext = null;
    }
    if (pendingTurnaround != null) {
      turnarounds.put(entries.size(), pendingTurnaround);
      pendingTurnaround = null;
    }
    entries.add(new Entry(step.step(), command, response, sent, received));
  }

  /**
   * The plaintext inside a secure channel: a command's belongs to the next exchange (it is wrapped
   * and sent), a response's to the exchange just done (the last piece of a chained answer).
   */
  @Override
  public synchronized void plaintext(Step step, boolean command, String hex) {
    if (hex.isEmpty()) {
      return;
    }
    if (command) {
      pendingCommandPlaintext = hex;
    } else if (!entries.isEmpty()) {
      responsePlaintexts.put(entries.size() - 1, hex);
    }
  }

  @Override
  public synchronized void turnaround(Step step, CommandApdu next, Duration host) {
    pendingTurnaround = host;
  }

  /**
   * The rig's own latency before entry {@code index} (0-based) left: absent for the first command
   * and after an exchange that got no answer.
   */
  public synchronized java.util.Optional<Duration> turnaround(int index) {
    return java.util.Optional.ofNullable(turnarounds.get(index));
  }

  /** Every measured turnaround of the run, with the entry it preceded. */
  public synchronized List<Turnaround> turnarounds() {
    List<Turnaround> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Duration d = turnarounds.get(i);
      if (d != null) {
        out.add(new Turnaround(i, entries.get(i), d));
      }
    }
    return out;
  }

  /** The host time before one command; {@code index} is 0-based. */
  public record Turnaround(int index, Entry entry, Duration host) {}

  /** The command plaintext of entry {@code index} (0-based) in hex, if it was wrapped. */
  public synchronized java.util.Optional<String> commandPlaintext(int index) {
    return java.util.Optional.ofNullable(commandPlaintexts.get(index));
  }

  /** The response plaintext ending at entry {@code index} (0-based) in hex, if it was wrapped. */
  public synchronized java.util.Optional<String> responsePlaintext(int index) {
    return java.util.Optional.ofNullable(responsePlaintexts.get(index));
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  public synchronized Map<Step, List<Entry>> byStep() {
    Map<Step, List<Entry>> out = new EnumMap<>(Step.class);
    for (Entry e : entries) {
      out.computeIfAbsent(e.step(), s -> new ArrayList<>()).add(e);
    }
    return out;
  }
}
