package dev.dkrig.conformance;

import java.util.Optional;

/**
 * What the suite knows about the Digital Keys on the device before a scenario, so "no key created"
 * can be judged on a device that already holds one (a real phone, or the persistent device behind
 * {@code dkrig emulate}).
 *
 * @param empty the device is known to hold no committed DK (a fresh virtual device)
 * @param key the DK the suite's last clean pairing left on the device, if any
 */
public record DeviceKnowledge(boolean empty, Optional<KnownKey> key) {

  /** A fresh virtual device: no DK at all. */
  public static DeviceKnowledge freshDevice() {
    return new DeviceKnowledge(true, Optional.empty());
  }

  /** A device the suite knows nothing about yet. */
  public static DeviceKnowledge unknown() {
    return new DeviceKnowledge(false, Optional.empty());
  }

  /** After a clean pairing: the device holds this DK for the vehicle. */
  public static DeviceKnowledge holding(KnownKey key) {
    return new DeviceKnowledge(false, Optional.of(key));
  }

  /**
   * After the operator was asked to delete the key: it may or may not be gone, so the earlier DK is
   * remembered and nothing is assumed empty.
   */
  public DeviceKnowledge afterDeletePrompt() {
    return new DeviceKnowledge(false, key);
  }

  /**
   * A DK the suite created in a clean pairing: what a later standard transaction needs to recognise
   * it.
   *
   * @param dkIdentifier 40 upper-case hex digits
   * @param endpointPublicKey the 65-byte endpoint public point (from H, §8.6)
   * @param agreedVersion the DK applet version agreed in P2.2
   */
  public record KnownKey(String dkIdentifier, byte[] endpointPublicKey, int agreedVersion) {
    public KnownKey {
      endpointPublicKey = endpointPublicKey.clone();
    }

    @Override
    public byte[] endpointPublicKey() {
      return endpointPublicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof KnownKey that && dkIdentifier.equals(that.dkIdentifier);
    }

    @Override
    public int hashCode() {
      return dkIdentifier.hashCode();
    }

    @Override
    public String toString() {
      return "KnownKey[" + dkIdentifier + "]";
    }
  }
}
