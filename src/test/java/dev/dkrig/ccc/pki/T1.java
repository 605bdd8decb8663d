package dev.dkrig.ccc.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Tlv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The T1 inputs of §17.4.1–17.4.2 and the builders that turn them into §17.4.3. */
final class T1 {
  static final Map<String, String> VECTORS = loadVectors();

  static final EcKeyPair VEHICLE_OEM_CA_KEY = key("vehicle_oem_ca");
  static final EcKeyPair VEHICLE_KEY = key("vehicle");
  static final EcKeyPair DEVICE_OEM_CA_KEY = key("device_oem_ca");
  static final EcKeyPair INSTANCE_CA_KEY = key("instance_ca");
  static final EcKeyPair ENDPOINT_KEY = key("endpoint");

  static final byte[] VEHICLE_IDENTIFIER = Hex.decode("444B524947563031");
  static final int APPLET_VERSION = 0x0101;
  static final Instant CA_NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant CA_NOT_AFTER = Instant.parse("2046-01-01T00:00:00Z");
  static final Instant ENDPOINT_CREATED = Instant.parse("2026-11-27T12:00:00Z");

  /** §18.2: the clocks of test mode. */
  static final Instant DEVICE_CLOCK = Instant.parse("2026-11-27T12:00:00Z");

  static final Instant VEHICLE_CLOCK = Instant.parse("2026-11-27T12:01:00Z");

  private T1() {}

  static String vector(String name) {
    String value = VECTORS.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no vector " + name);
    }
    return value;
  }

  static byte[] bytes(String name) {
    return Hex.decode(vector(name));
  }

  /** §17.4.2: {@code (SHA-256("dkrig/T1/" ‖ label) mod (n−1)) + 1}. */
  static EcKeyPair derivedKey(String label) {
    byte[] hash = Crypto.sha256(("dkrig/T1/" + label).getBytes(StandardCharsets.US_ASCII));
    BigInteger scalar =
        new BigInteger(1, hash).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    return EcKeyPair.fromPrivate(scalar);
  }

  /** The 7F4A of T1 (§17.4.5). */
  static EndpointCreationData creationData() {
    Tlv tlv = Tlv.parseAll(bytes("kcd.7F4A")).get(0);
    return EndpointCreationData.parse(tlv.value());
  }

  static CccCertificateBuilder vehicleOemCaBuilder() {
    return CccCertificateBuilder.vehicleOemCa(
            "DKRIG Vehicle OEM CA", VEHICLE_OEM_CA_KEY.publicBytes())
        .serialNumber(serial("1000000000000001"))
        .validity(CA_NOT_BEFORE, CA_NOT_AFTER);
  }

  static CccCertificate vehicleOemCa() {
    return vehicleOemCaBuilder().sign(VEHICLE_OEM_CA_KEY);
  }

  static CccCertificateBuilder vehicleBuilder() {
    return CccCertificateBuilder.vehicle(
            vehicleOemCa(), VEHICLE_IDENTIFIER, VEHICLE_KEY.publicBytes())
        .serialNumber(serial("1000000000000002"))
        .validity(CA_NOT_BEFORE, CA_NOT_AFTER);
  }

  static CccCertificate vehicle() {
    return vehicleBuilder().sign(VEHICLE_OEM_CA_KEY);
  }

  static CccCertificateBuilder deviceOemCaBuilder() {
    return CccCertificateBuilder.deviceOemCa(
            vehicleOemCa(), "DKRIG Device OEM CA", DEVICE_OEM_CA_KEY.publicBytes())
        .serialNumber(serial("1000000000000003"))
        .validity(CA_NOT_BEFORE, CA_NOT_AFTER);
  }

  static CccCertificate deviceOemCa() {
    return deviceOemCaBuilder().sign(VEHICLE_OEM_CA_KEY);
  }

  static CccCertificateBuilder instanceCaBuilder() {
    return CccCertificateBuilder.instanceCa(
            deviceOemCa(), "DKRIG Instance CA", INSTANCE_CA_KEY.publicBytes(), APPLET_VERSION)
        .serialNumber(serial("2000000000000001"))
        .validity(CA_NOT_BEFORE, CA_NOT_AFTER);
  }

  static CccCertificate instanceCa() {
    return instanceCaBuilder().sign(DEVICE_OEM_CA_KEY);
  }

  static CccCertificateBuilder endpointBuilder() {
    return endpointBuilder(creationData());
  }

  static CccCertificateBuilder endpointBuilder(EndpointCreationData data) {
    return CccCertificateBuilder.endpoint(
        instanceCa(), ENDPOINT_KEY.publicBytes(), data, ENDPOINT_CREATED);
  }

  static CccCertificate endpoint() {
    return endpointBuilder().sign(INSTANCE_CA_KEY);
  }

  private static BigInteger serial(String hex) {
    return new BigInteger(1, Hex.decode(hex));
  }

  private static EcKeyPair key(String label) {
    return EcKeyPair.fromPrivate(bytes("key." + label + ".SK"));
  }

  /** The §17.4 sections of vectors.json, flattened (their names are unique). */
  private static Map<String, String> loadVectors() {
    try (InputStream in = T1.class.getResourceAsStream("/vectors/vectors.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, String> out = new HashMap<>();
      for (Map.Entry<String, JsonNode> section : root.properties()) {
        if (!section.getKey().startsWith("17.4")) {
          continue;
        }
        for (Map.Entry<String, JsonNode> entry : section.getValue().properties()) {
          if (entry.getValue().isTextual()) {
            out.put(entry.getKey(), entry.getValue().asText());
          }
        }
      }
      return Map.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
