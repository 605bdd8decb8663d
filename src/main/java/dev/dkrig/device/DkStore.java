package dev.dkrig.device;

import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed Digital Keys of the device, one per vehicle identifier: a new successful pairing
 * for the same vehicle replaces the earlier DK (§3.6). Uncommitted keys never enter it (§18.16).
 */
final class DkStore {
  private final Map<String, DigitalKey> keys = new LinkedHashMap<>();

  void commit(DigitalKey key) {
    // Removed first, so the map's order stays the commit order.
    keys.remove(key.vehicleIdentifierHex());
    keys.put(key.vehicleIdentifierHex(), key);
  }

  /** The DK committed last. */
  Optional<DigitalKey> newest() {
    DigitalKey last = null;
    for (DigitalKey key : keys.values()) {
      last = key;
    }
    return Optional.ofNullable(last);
  }

  Optional<DigitalKey> find(byte[] vehicleIdentifier) {
    return Optional.ofNullable(keys.get(Hex.encode(vehicleIdentifier)));
  }

  Optional<DigitalKey> find(DkIdentifier dkIdentifier) {
    return keys.values().stream().filter(k -> k.dkIdentifier().equals(dkIdentifier)).findFirst();
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  List<DigitalKeyView> views() {
    return keys.values().stream().map(DigitalKey::view).toList();
  }

  @Override
  public String toString() {
    return views().toString();
  }
}
