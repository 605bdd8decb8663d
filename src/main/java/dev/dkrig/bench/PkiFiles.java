package dev.dkrig.bench;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.Pem;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.Hex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Keys and certificates named in rig and profile files: PEM (certificates, PKCS#8 or SEC1 keys), or
 * PKCS#12 given as {@code {pkcs12: FILE, password: TEXT | passwordEnv: VAR, alias: NAME}}. Each
 * problem names the file and the field.
 */
public final class PkiFiles {
  private PkiFiles() {}

  public static EcKeyPair privateKey(ConfigNode node, String key) {
    if (node.has(key) && isMapping(node, key)) {
      return pkcs12(node.object(key)).key();
    }
    ConfigSource file = node.source().resolve(node.string(key));
    String text = readText(node, node.child(key), file);
    try {
      return Pem.readPrivateKey(text);
    } catch (RuntimeException e) {
      throw node.error(
          node.child(key),
          file.displayName() + ": not a P-256 private key in PEM: " + e.getMessage());
    }
  }

  public static CccCertificate certificate(ConfigNode node, String key) {
    if (node.has(key) && isMapping(node, key)) {
      return pkcs12(node.object(key)).certificate();
    }
    return certificateFile(node, node.child(key), node.string(key));
  }

  public static List<CccCertificate> certificates(ConfigNode node, String key) {
    List<CccCertificate> out = new ArrayList<>();
    List<String> files = node.strings(key);
    if (files.isEmpty()) {
      throw node.error(node.child(key), "expected at least one trust anchor certificate");
    }
    for (int i = 0; i < files.size(); i++) {
      out.add(certificateFile(node, node.child(key) + "[" + i + "]", files.get(i)));
    }
    return out;
  }

  /** A P-256 public key: hex of the 65-byte point, or a PEM file (PUBLIC KEY or CERTIFICATE). */
  public static ECPoint publicKey(ConfigNode node, String key) {
    String text = node.string(key).trim();
    if (text.matches("(?i)04[0-9a-f]{128}")) {
      try {
        return P256.decodePoint(Hex.decode(text));
      } catch (CccException e) {
        throw node.error(node.child(key), e.getMessage());
      }
    }
    ConfigSource file = node.source().resolve(text);
    String pem = readText(node, node.child(key), file);
    try (PemReader reader = new PemReader(new java.io.StringReader(pem))) {
      PemObject object = reader.readPemObject();
      if (object == null) {
        throw node.error(
            node.child(key),
            file.displayName()
                + ": no PEM block (expected PUBLIC KEY or CERTIFICATE, or hex 04...)");
      }
      byte[] point =
          switch (object.getType()) {
            case "PUBLIC KEY" ->
                SubjectPublicKeyInfo.getInstance(object.getContent())
                    .getPublicKeyData()
                    .getOctets();
            case "CERTIFICATE" -> CccCertificate.parse(object.getContent()).publicKey();
            default ->
                throw node.error(
                    node.child(key),
                    file.displayName()
                        + ": PEM type "
                        + object.getType()
                        + " (expected PUBLIC KEY or CERTIFICATE)");
          };
      return P256.decodePoint(point);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigException c) {
        throw c;
      }
      throw node.error(
          node.child(key), file.displayName() + ": not a P-256 public key: " + e.getMessage());
    }
  }

  private static CccCertificate certificateFile(ConfigNode node, String field, String path) {
    ConfigSource file = node.source().resolve(path);
    String text = readText(node, field, file);
    try {
      return Pem.readCertificate(text);
    } catch (RuntimeException e) {
      throw node.error(field, file.displayName() + ": not a PEM certificate: " + e.getMessage());
    }
  }

  private record Pkcs12Entry(EcKeyPair key, CccCertificate certificate) {}

  private static Pkcs12Entry pkcs12(ConfigNode node) {
    node.allowOnly("pkcs12", "password", "passwordEnv", "alias");
    ConfigSource file = node.source().resolve(node.string("pkcs12"));
    char[] password;
    if (node.has("passwordEnv")) {
      String env = System.getenv(node.string("passwordEnv"));
      if (env == null) {
        throw node.error(
            node.child("passwordEnv"),
            "environment variable " + node.string("passwordEnv") + " is not set");
      }
      password = env.toCharArray();
    } else {
      password = node.optionalString("password").orElse("").toCharArray();
    }
    byte[] bytes;
    try {
      bytes = file.read();
    } catch (IOException e) {
      throw node.error(
          node.child("pkcs12"), "cannot read " + file.displayName() + ": " + IoErrors.reason(e));
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(bytes), password);
      String alias = node.optionalString("alias").orElse(null);
      if (alias == null) {
        List<String> aliases =
            Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).toList();
        if (aliases.size() != 1) {
          throw node.error(
              node.child("alias"),
              file.displayName()
                  + " holds "
                  + aliases.size()
                  + " keys "
                  + aliases
                  + ": name one with alias:");
        }
        alias = aliases.get(0);
      }
      Key key = store.getKey(alias, password);
      if (!(key instanceof ECPrivateKey ec)) {
        throw node.error(
            node.child("pkcs12"),
            file.displayName() + ": entry '" + alias + "' is not an EC private key");
      }
      Certificate certificate = store.getCertificate(alias);
      if (certificate == null) {
        throw node.error(
            node.child("pkcs12"),
            file.displayName() + ": entry '" + alias + "' has no certificate");
      }
      return new Pkcs12Entry(
          EcKeyPair.fromPrivate(ec.getS()), CccCertificate.parse(certificate.getEncoded()));
    } catch (IOException e) {
      String why =
          e.getCause() instanceof java.security.UnrecoverableKeyException
                  || String.valueOf(e.getMessage()).contains("password")
              ? "wrong PKCS#12 password"
              : "not a PKCS#12 file: " + e.getMessage();
      throw node.error(node.child("password"), file.displayName() + ": " + why);
    } catch (GeneralSecurityException | CccException e) {
      throw node.error(node.child("pkcs12"), file.displayName() + ": " + e.getMessage());
    }
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isMapping(ConfigNode node, String key) {
    try {
      node.object(key);
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  /** A file named by a field, as text; an unreadable file is an error about that field. */
  private static String readText(ConfigNode node, String field, ConfigSource file) {
    try {
      return new String(file.read(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw node.error(field, "cannot read " + file.displayName() + ": " + IoErrors.reason(e));
    }
  }
}
