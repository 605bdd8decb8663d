package dev.dkrig.ccc;

import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every constant of the owner-pairing contract (§16), [CCC] and [profile] alike. Nothing else in
 * the code base hard-codes these values, so a [profile] choice can follow the licensed CCC text by
 * changing one line here.
 */
public final class DkProfile {
  private DkProfile() {}

  /** The contract this code implements: "dkrig owner-pairing protocol profile, version 1". */
  public static final int CONTRACT_VERSION = 1;

  // §3.1 AIDs [CCC]
  public static final byte[] FRAMEWORK_AID = Hex.decode("A000000809434343444B467631");
  public static final byte[] APPLET_AID = Hex.decode("A000000809434343444B417631");

  // §4 versions [profile]
  public static final List<Integer> VEHICLE_SPAKE2_VERSIONS = List.of(0x0101, 0x0100);
  public static final List<Integer> VEHICLE_APPLET_VERSIONS = List.of(0x0101, 0x0100);
  public static final List<Integer> DEVICE_SPAKE2_VERSIONS = List.of(0x0101, 0x0100);
  public static final List<Integer> DEVICE_APPLET_VERSIONS = List.of(0x0101, 0x0100);

  /** §4: the 5C list of the REQUEST carries 1 to 7 versions. */
  public static final int MAX_APPLET_VERSIONS_IN_REQUEST = 7;

  // §5 SPAKE2+ and scrypt
  public static final int SCRYPT_DEFAULT_N = 32768;
  public static final int SCRYPT_DEFAULT_R = 8;
  public static final int SCRYPT_DEFAULT_P = 1;
  public static final int SCRYPT_TEST_N = 4096;
  public static final int SALT_LENGTH = 16;
  public static final int SCRYPT_DK_LEN = 80;

  /** §18.11: a device refuses a REQUEST whose scrypt memory 128·r·N·(p+2) exceeds this. */
  public static final long SCRYPT_MAX_MEMORY = 512L * 1024 * 1024;

  /** §5.6 [CCC]. */
  public static final int SPAKE2_ATTEMPT_LIMIT = 7;

  /** §5.5 [profile]: both sides always derive 96 bytes. */
  public static final int SYSTEM_KEYS_LENGTH = 96;

  // HKDF labels (§5.4, §5.5, §11.3, §12.3)
  public static final byte[] LABEL_CONFIRMATION_KEYS = ascii("ConfirmationKeys");
  public static final byte[] LABEL_SYSTEM_KEYS = ascii("SystemKeys");
  public static final byte[] LABEL_VOLATILE = ascii("Volatile");
  public static final byte[] LABEL_PERSISTENT = ascii("Persistent");
  public static final byte[] LABEL_KTS = ascii("DKRIG-KTS-v1");

  // §11.4 signature usage constants (tag 93) [CCC]
  public static final byte[] USAGE_VEHICLE_SIGNATURE = Hex.decode("415D9569");
  public static final byte[] USAGE_ENDPOINT_SIGNATURE = Hex.decode("4E887B4C");

  // §11.2, §11.3 [profile]
  public static final int INTERFACE_BYTE_NFC = 0x5E;
  public static final int AUTH0_P1 = 0x00;
  public static final int AUTH0_P2 = 0x00;

  // §6.2 secure-messaging switches [profile]
  public static final boolean FW_MAC_COVERS_HEADER_AND_SW = true;
  public static final boolean DKA_MAC_COVERS_HEADER_AND_SW = false;
  public static final boolean DKA_KDF_APPEND_DEVICE_VERSION_LIST = false;

  // §3.2, §6, §7.6 sizes [CCC]
  public static final int MAX_SM_PLAINTEXT = 239;
  public static final int WRITE_DATA_PIECE = 239;

  /** §3.2: the most data a protected APDU carries: 239 bytes padded to 240, plus the 8-byte MAC. */
  public static final int MAX_PROTECTED_DATA = 248;

  /**
   * §3.2: the longest command on the wire, a full protected WRITE DATA {@code 84 D4 P1 00 F8 <248>
   * 00}.
   */
  public static final int MAX_COMMAND_APDU = 5 + MAX_PROTECTED_DATA + 1;

  /** §3.2: the longest response on the wire, 248 bytes of protected data and SW. */
  public static final int MAX_RESPONSE_APDU = MAX_PROTECTED_DATA + 2;

  /** §3.5, §18.22: a device MUST accept a creation-data stream of at least this size. */
  public static final int MIN_ACCEPTED_STREAM = 4096;

  /** §18.22: no device accepts a creation-data stream longer than this. */
  public static final int MAX_STREAM_CAPACITY = 8192;

  /** §3.3 WRITE DATA P1: {@code 80} on the last command of a stream, {@code 00} before it. */
  public static final int WRITE_DATA_P1_MORE = 0x00;

  public static final int WRITE_DATA_P1_LAST = 0x80;

  // §8.2 GET DATA tags [profile]
  public static final int TAG_KEY_CREATION_STATUS = 0x7F26;
  public static final int TAG_ENDPOINT_CERT = 0x7F20;
  public static final int TAG_INSTANCE_CA_CERT = 0x7F22;
  public static final int TAG_DEVICE_OEM_CA_CERT = 0x7F24;

  // §11.7 EXCHANGE operations [profile]
  public static final int OP_READ_MAILBOX = 0xE1;
  public static final int OP_WRITE_MAILBOX = 0xE2;
  public static final int OP_GET_RECEIPT = 0xE3;
  public static final int MAILBOX_PRIVATE = 0x00;
  public static final int MAILBOX_CONFIDENTIAL = 0x01;
  public static final int MAX_MAILBOX_READ = 1024;
  public static final int MAX_MAILBOX_WRITE = 200;

  // §10.1 OP CONTROL FLOW [CCC P1, profile P2]
  public static final int OP_FLOW_CREATE = 0x1001;
  public static final int OP_FLOW_END = 0x1111;
  public static final int OP_FLOW_ABORT_P1 = 0x12;

  /** §10.1: accepted by devices, no effect, never sent. */
  public static final List<Integer> OP_FLOW_ACCEPTED_UNUSED =
      List.of(0x1002, 0x1003, 0x100F, 0x1110);

  // §10.2 abort reason codes (P2 of OP CONTROL FLOW 12 and of applet CONTROL FLOW 00)
  public static final int ABORT_UNSPECIFIED = 0x00;
  public static final int ABORT_NO_COMMON_SPAKE2_VERSION = 0x01;
  public static final int ABORT_NO_COMMON_APPLET_VERSION = 0x02;
  public static final int ABORT_OWNER_PAIRING_TIMEOUT = 0x03;
  public static final int ABORT_APDU_TIMEOUT = 0x04;
  public static final int ABORT_KEY_CREATION_TIMEOUT = 0x05;
  public static final int ABORT_TX_GAP_TIMEOUT = 0x06;
  public static final int ABORT_PAIRING_MODE_TIMEOUT = 0x07;
  public static final int ABORT_NO_KEY_SUPPORT = 0x08;
  public static final int ABORT_WRONG_DEVICE_EVIDENCE = 0x09;
  public static final int ABORT_WRONG_CONFIGURATION = 0x0A;
  public static final int ABORT_VERIFICATION_FAILED = 0x0B;
  public static final int ABORT_INVALID_POINT = 0x0C;
  public static final int ABORT_ATTEMPT_LIMIT = 0x0D;

  // §11.8 CONTROL FLOW P1 values
  public static final int CONTROL_FLOW_FAILURE = 0x00;
  public static final int CONTROL_FLOW_SUCCESS = 0x01;
  public static final int CONTROL_FLOW_APPLICATION = 0x40;

  // §12.1 SigBmp bits [profile]
  public static final int SIGBMP_RECEIPT = 0;
  public static final int SIGBMP_MAILBOX = 1;
  public static final int SIGBMP_IMMOBILISER = 2;

  // §7 default creation data [profile]
  public static final byte[] DEFAULT_OPTION_GROUP_1 = Hex.decode("00");
  public static final byte[] DEFAULT_OPTION_GROUP_2 = Hex.decode("00");
  public static final byte[] DEFAULT_INITIAL_KEY_SLOT = Hex.decode("0000000000000001");
  public static final int DEFAULT_CONFIDENTIAL_MAILBOX = 256;
  public static final int DEFAULT_PRIVATE_MAILBOX = 1024;
  public static final int DEFAULT_IMMOBILISER_OFFSET = 0x0000;
  public static final int DEFAULT_IMMOBILISER_LENGTH = 0x0020;
  public static final int INITIAL_KEY_SLOT_LENGTH = 8;

  /** §7.5 D9 profile ids. */
  public static final int DK_PROFILE_NFC = 0x01;

  public static final int DK_PROFILE_NFC_BLE = 0x02;
  public static final int DK_PROFILE_NFC_BLE_UWB = 0x03;

  // §8 certificates
  /** 1.3.6.1.4.1.41577.5 [CCC]; the CCC extensions are this arc plus .1 (K) to .9 (root). */
  public static final String CCC_EXTENSION_ARC = "1.3.6.1.4.1.41577.5";

  public static final int EXT_VEHICLE = 1;
  public static final int EXT_DEVICE_OEM_CA = 2;
  public static final int EXT_INSTANCE_CA = 3;
  public static final int EXT_ENDPOINT = 4;
  public static final int EXT_VEHICLE_INTERMEDIATE = 8;
  public static final int EXT_VEHICLE_OEM_CA = 9;
  public static final boolean PKI_CHECK_VALIDITY = true;

  /** §8.4: the leading INTEGER of every CCC extension value (and of {@code .5.4}) [profile]. */
  public static final int CCC_EXTENSION_VERSION = 1;

  /** §8.4: {@code .5.3} applet_version is {@code 00 00 ‖} the 2-byte applet version [profile]. */
  public static final int INSTANCE_CA_APPLET_VERSION_LENGTH = 4;

  /** §8.3: validity times from this year on are GeneralizedTime, earlier ones UTCTime [profile]. */
  public static final int GENERALIZED_TIME_FROM_YEAR = 2050;

  /** §8.4: notAfter of the endpoint certificate H, {@code 99991231235959Z} [profile]. */
  public static final Instant ENDPOINT_NOT_AFTER = Instant.parse("9999-12-31T23:59:59Z");

  /** §8.3: H's serial number is this byte followed by DK_identifier[0..6] [profile]. */
  public static final int ENDPOINT_SERIAL_PREFIX = 0x01;

  public static final int ENDPOINT_SERIAL_IDENTIFIER_BYTES = 7;

  // §9 attestation [profile]
  public static final int ATTESTATION_FORMAT = 0x01;
  // §12.3 KTS_Response [profile]
  public static final int KTS_RESPONSE_FORMAT = 0x01;
  public static final int MAX_UI_BUNDLE = 1024;

  /** §12.3 step 4: the HKDF output is an AES-128 key followed by a 96-bit GCM nonce. */
  public static final int KTS_KEY_LENGTH = 16;

  public static final int KTS_NONCE_LENGTH = 12;

  /** §12.3 step 6: the GCM tag appended to the ciphertext. */
  public static final int KTS_TAG_LENGTH = 16;

  // §13 timers [profile]
  public static final Duration T_PAIRING_MODE_TIMEOUT = Duration.ofSeconds(300);
  public static final Duration T_OWNER_PAIRING = Duration.ofSeconds(600);
  public static final Duration T_APDU = Duration.ofSeconds(5);
  public static final Duration T_TX_GAP = Duration.ofSeconds(60);
  public static final Duration T_KEY_CREATION = Duration.ofSeconds(30);
  public static final Duration T_STATUS_POLL = Duration.ofMillis(500);
  public static final Duration T_NOT_READY_RETRY = Duration.ofSeconds(1);
  public static final Duration T_KTS_POLL_INTERVAL = Duration.ofSeconds(5);
  public static final Duration T_KTS_WAIT = Duration.ofSeconds(300);
  public static final Duration T_KTS_DELAY = Duration.ofSeconds(0);

  /** §18.13: "poll, no target found" waits this long before the next poll. */
  public static final Duration NO_TARGET_RETRY = Duration.ofSeconds(1);

  // §14 BLE
  public static final String BLE_SERVICE_UUID = "0000fff5-0000-1000-8000-00805f9b34fb";
  public static final String BLE_SPSM_CHARACTERISTIC_UUID = "d3b5a130-9e23-4b3a-8be4-6b1ee5f980a3";
  public static final String BLE_INTENT_SERVICE_UUID = "5810bbc0-b499-11e9-a2a3-2a2ae2dbcce4";
  public static final int BLE_INTENT_OWNER_PAIRING = 0x01;
  public static final int BLE_DEFAULT_SPSM = 0x0080;

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
