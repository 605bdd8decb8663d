package dev.dkrig.transport.pcsc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which PC/SC reader plays the pad, following the conventions lab engineers know from
 * GlobalPlatformPro and apdu4j: {@code -r} takes a 1-based index (when the number is not larger
 * than the list) or a case-insensitive name fragment of at least 3 characters; {@code DKRIG_READER}
 * and {@code DKRIG_READER_IGNORE} are the fallbacks; the single reader, or the single reader with a
 * card, is picked automatically; anything ambiguous fails with the list.
 */
public final class ReaderSelection {
  public static final String ENV_READER = "DKRIG_READER";
  public static final String ENV_READER_IGNORE = "DKRIG_READER_IGNORE";
  private static final int MIN_FRAGMENT = 3;

  /** A reader as PC/SC lists it. */
  public record Reader(String name, boolean cardPresent) {}

  /** Selection failed; the message lists the readers so the operator can choose. */
  public static final class NoReaderException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoReaderException(String message) {
      super(message);
    }
  }

  private final Optional<String> hint;
  private final List<String> ignore;

  public ReaderSelection(Optional<String> hint, List<String> ignore) {
    this.hint = hint.map(String::trim).filter(h -> !h.isEmpty());
    this.ignore = ignore.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * {@code -r} if given, else {@code DKRIG_READER}; ignore list from {@code DKRIG_READER_IGNORE}.
   */
  public static ReaderSelection of(Optional<String> option, Map<String, String> environment) {
    return forRig(option, Optional.empty(), List.of(), environment);
  }

  /**
   * The reader a rig file points at, as every command picks it: {@code -r} if given, else {@code
   * DKRIG_READER}, else the rig's {@code reader:}; the rig's {@code readerIgnore} together with
   * {@code DKRIG_READER_IGNORE}. {@code pair}, several pads, {@code readers} and {@code doctor} all
   * come here, so a reader number means the same reader to each of them.
   */
  public static ReaderSelection forRig(
      Optional<String> option,
      Optional<String> rigReader,
      List<String> rigIgnore,
      Map<String, String> environment) {
    // A blank DKRIG_READER (a CI job that defines every variable) is no choice: the rig's stands.
    Optional<String> hint =
        option
            .or(() -> Optional.ofNullable(environment.get(ENV_READER)).filter(v -> !v.isBlank()))
            .or(() -> rigReader);
    List<String> ignore = new ArrayList<>(rigIgnore);
    ignore.addAll(List.of(environment.getOrDefault(ENV_READER_IGNORE, "").split(",")));
    return new ReaderSelection(hint, ignore);
  }

  public Optional<String> hint() {
    return hint;
  }

  /** The readers left after {@code DKRIG_READER_IGNORE}, in PC/SC order (what indices refer to). */
  public List<Reader> candidates(List<Reader> readers) {
    List<Reader> out = new ArrayList<>();
    for (Reader reader : readers) {
      if (!ignored(reader.name())) {
        out.add(reader);
      }
    }
    return out;
  }

  public boolean ignored(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ignore.stream().anyMatch(f -> lower.contains(f.toLowerCase(Locale.ROOT)));
  }

  /**
   * Picks the reader.
   *
   * @throws NoReaderException with a one-line reason and the numbered list of readers
   */
  public Reader choose(List<Reader> readers) throws NoReaderException {
    List<Reader> candidates = candidates(readers);
    if (candidates.isEmpty()) {
      throw new NoReaderException(
          readers.isEmpty()
              ? "no PC/SC reader is connected (plug the reader in; dkrig doctor checks the bench)"
              : "every reader is excluded by " + ENV_READER_IGNORE + ": " + names(readers));
    }
    if (hint.isPresent()) {
      return byHint(hint.get(), candidates);
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    List<Reader> withCard = candidates.stream().filter(Reader::cardPresent).toList();
    if (withCard.size() == 1) {
      return withCard.get(0);
    }
    throw new NoReaderException(
        "several readers"
            + (withCard.isEmpty() ? "" : " with a card")
            + ": choose one with -r NUMBER or -r NAME (or "
            + ENV_READER
            + "): "
            + numbered(candidates));
  }

  /**
   * Why {@code hint} can select no reader whatever is plugged in, found before anything is opened:
   * the number 0 (readers count from 1), or a name fragment under 3 characters (PC/SC names are
   * longer, e.g. {@code ACS ACR122U 00 00}, so a short one is a typo); empty when it may select
   * one.
   */
  public static Optional<String> refusal(String hint) {
    String text = hint.trim();
    if (text.matches("0+")) {
      return Optional.of("no reader number " + text + ": readers are numbered from 1");
    }
    if (text.length() < MIN_FRAGMENT && !text.matches("\\d+")) {
      return Optional.of(
          "reader name fragment '"
              + text
              + "' is shorter than 3 characters: give 3 or more, or the reader's number");
    }
    return Optional.empty();
  }

  private Reader byHint(String text, List<Reader> candidates) throws NoReaderException {
    // Nine digits at most: a longer run of digits is a serial-number fragment, never an index.
    if (text.matches("[0-9]{1,9}")) {
      int index = Integer.parseInt(text);
      if (index >= 1 && index <= candidates.size()) {
        return candidates.get(index - 1);
      }
      if (text.length() < MIN_FRAGMENT) {
        throw new NoReaderException("no reader number " + text + ": " + numbered(candidates));
      }
    }
    for (Reader reader : candidates) {
      if (reader.name().equalsIgnoreCase(text)) {
        return reader;
      }
    }
    Optional<String> refused = refusal(text);
    if (refused.isPresent()) {
      throw new NoReaderException(refused.get() + ": " + numbered(candidates));
    }
    String lower = text.toLowerCase(Locale.ROOT);
    List<Reader> matches =
        candidates.stream().filter(r -> r.name().toLowerCase(Locale.ROOT).contains(lower)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new NoReaderException("no reader matches '" + text + "': " + numbered(candidates));
    }
    throw new NoReaderException("'" + text + "' matches several readers: " + numbered(matches));
  }

  /** {@code [1] ACS ACR122U 00 00 (card), [2] dkrig vpcd 00 01} */
  public static String numbered(List<Reader> readers) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < readers.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append('[').append(i + 1).append("] ").append(readers.get(i).name());
      if (readers.get(i).cardPresent()) {
        out.append(" (card)");
      }
    }
    return out.toString();
  }

  private static String names(List<Reader> readers) {
    return String.join(", ", readers.stream().map(Reader::name).toList());
  }
}
