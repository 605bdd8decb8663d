package dev.dkrig.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a configuration file and the files it names come from: the file system (paths relative to
 * the file's folder) or the defaults embedded in the jar ({@code rigs/} and {@code profiles/} of
 * the repository).
 */
public sealed interface ConfigSource {

  /** The name reports show: a path, or {@code embedded:rigs/virtual.yaml}. */
  String displayName();

  byte[] read() throws IOException;

  /** A file named inside this one, resolved against its folder. */
  ConfigSource resolve(String relative);

  static ConfigSource file(Path path) {
    return new FileSource(path);
  }

  static ConfigSource embedded(String resource) {
    return new EmbeddedSource(resource);
  }

  /** A file on disk. */
  record FileSource(Path path) implements ConfigSource {
    @Override
    public String displayName() {
      return path.toString();
    }

    /**
     * The file's bytes, at most {@link ConfigNode#MAX_DOCUMENT_BYTES}: a rig, profile, suite or key
     * file is a few kilobytes, and a path to {@code /dev/zero} or a disk image would otherwise be
     * read until memory runs out.
     */
    @Override
    public byte[] read() throws IOException {
      try (InputStream in = Files.newInputStream(path)) {
        byte[] bytes = in.readNBytes(ConfigNode.MAX_DOCUMENT_BYTES + 1);
        if (bytes.length > ConfigNode.MAX_DOCUMENT_BYTES) {
          throw new IOException(
              "too large (more than "
                  + ConfigNode.MAX_DOCUMENT_BYTES
                  + " bytes; a configuration or key file may have at most "
                  + ConfigNode.MAX_DOCUMENT_BYTES
                  + ")");
        }
        return bytes;
      }
    }

    @Override
    public ConfigSource resolve(String relative) {
      Path target = Path.of(relative);
      if (target.isAbsolute()) {
        return new FileSource(target);
      }
      Path parent = path.toAbsolutePath().getParent();
      return new FileSource(parent == null ? target : parent.resolve(target).normalize());
    }
  }

  /** A default shipped inside the jar under {@code /defaults/}. */
  record EmbeddedSource(String resource) implements ConfigSource {
    @Override
    public String displayName() {
      return "embedded:" + resource;
    }

    @Override
    public byte[] read() throws IOException {
      try (InputStream in = ConfigSource.class.getResourceAsStream("/defaults/" + resource)) {
        if (in == null) {
          throw new NoSuchFileException(displayName(), null, "not in the jar");
        }
        return in.readAllBytes();
      }
    }

    @Override
    public ConfigSource resolve(String relative) {
      int slash = resource.lastIndexOf('/');
      String base = slash < 0 ? "" : resource.substring(0, slash + 1);
      return new EmbeddedSource(Path.of(base + relative).normalize().toString().replace('\\', '/'));
    }
  }
}
