package dev.dkrig.pairing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A head-unit or backend event of §15: {@code {"event": name, "ts": ..., ...payload}}.
 *
 * @param payload the event's fields besides {@code event} and {@code ts}, in order
 */
public record HuEvent(String name, Instant ts, Map<String, String> payload) {

  public static final String PHONE_KEY_REQ = "PhoneKey_Req";
  public static final String HU_NTF = "HU_NTF";
  public static final String PP03_REQ = "PP03_Req";
  public static final String OWNER_PAIRING_PASS_ACK = "OwnerPairingPass_Ack";

  public HuEvent {
    payload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload));
  }

  /** HU_NTF codes and texts of §15. */
  public enum NotificationCode {
    OP_DEEPLINK("Click on link retrieved in device, and follow device native app instructions"),
    OP_SUCCESS("Digital key added"),
    OP_FAILED("Digital key could not be added"),
    OP_NO_VERIFIER("Owner pairing data not available");

    private final String text;

    NotificationCode(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public static HuEvent notification(Instant ts, NotificationCode code) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("code", code.name());
    payload.put("text", code.text());
    return new HuEvent(HU_NTF, ts, payload);
  }

  public static HuEvent failure(Instant ts, Step step, String reason) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("code", NotificationCode.OP_FAILED.name());
    payload.put("text", NotificationCode.OP_FAILED.text());
    payload.put("step", step.id());
    payload.put("reason", reason);
    return new HuEvent(HU_NTF, ts, payload);
  }
}
