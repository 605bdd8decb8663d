package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Version lists and the negotiation rules of §4. */
public final class Versions {
  private Versions() {}

  /** Decodes a list of 2-byte versions; an empty or odd-length value is malformed (§3.3.1). */
  public static List<Integer> decode(byte[] value, String tag) {
    if (value.length == 0 || value.length % 2 != 0) {
      throw CccException.malformed(tag + " version list has length " + value.length);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < value.length; i += 2) {
      out.add(Bytes.u16(value, i));
    }
    return List.copyOf(out);
  }

  public static byte[] encode(List<Integer> versions) {
    Bytes.Builder out = new Bytes.Builder();
    for (int version : versions) {
      out.add(Bytes.u16(version));
    }
    return out.build();
  }

  /** The highest common version, compared as unsigned 16-bit values (§4). */
  public static Optional<Integer> highestCommon(List<Integer> ours, List<Integer> theirs) {
    return ours.stream().filter(theirs::contains).max(Comparator.naturalOrder());
  }

  /**
   * The applet list the REQUEST carries (§4): the highest common version first, then the remaining
   * common versions in descending order, at most {@link DkProfile#MAX_APPLET_VERSIONS_IN_REQUEST};
   * empty when there is none.
   */
  public static List<Integer> appletListForRequest(List<Integer> ours, List<Integer> theirs) {
    return ours.stream()
        .filter(theirs::contains)
        .distinct()
        .sorted(Comparator.reverseOrder())
        .limit(DkProfile.MAX_APPLET_VERSIONS_IN_REQUEST)
        .toList();
  }

  public static String format(List<Integer> versions) {
    return versions.stream().map(Hex::u16).reduce((a, b) -> a + " " + b).orElse("(none)");
  }
}
