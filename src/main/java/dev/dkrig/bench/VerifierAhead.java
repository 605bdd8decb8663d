package dev.dkrig.bench;

import dev.dkrig.ccc.spake2.ProverSecrets;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: P1.4's scrypt (§18.20: a fresh verifier from the profile's password, about 100 ms at N
 * = 32768) started on another thread as soon as the run is prepared, so that it runs while the run
 * opens its reports and reaches P1.4; P1.4 then finds it done or running ({@code Crypto.scrypt}
 * waits for a derivation under way instead of running it twice).
 *
 * <p>The salt is the run's first vehicle draw, as before: it is drawn here from the run's own draws
 * (or, on the system's generator, it is the salt {@link LaunchAhead} drew at launch and hands over
 * as that first draw), and handed to P1.4 when P1.4 asks for it; every other draw passes through
 * unchanged, so {@code --seed} and test mode give the same bytes. Not used when a dump records the
 * draws (a run that ends before P1.4 would then record a salt it never drew) or when P1.1 cannot
 * pass.
 */
final class VerifierAhead {
  private static final Logger LOG = LoggerFactory.getLogger(VerifierAhead.class);

  /** The verifier salt's length (§18.20 [profile]): the run's first draw. */
  static final int SALT_LENGTH = 16;

  private VerifierAhead() {}

  /**
   * Starts the derivation of {@code source}'s verifier; returns the draws P1.4 must use (the run's,
   * with the salt already drawn).
   */
  static Draws start(VerifierSource source, Draws draws) {
    if (!(source instanceof VerifierSource.FromPassword fromPassword)) {
      return draws;
    }
    Draws result = draws;
    byte[] salt = fromPassword.salt().orElse(null);
    if (salt == null) {
      // From the system's generator the salt drawn at launch for the derivation ahead is the
      // run's first draw (LaunchAhead); a seeded run draws the same salt again here.
      salt =
          draws instanceof SecureDraws
              ? LaunchAhead.secureSalt()
                  .orElseGet(() -> draws.bytes(Draws.Names.VERIFIER_SALT, SALT_LENGTH))
              : draws.bytes(Draws.Names.VERIFIER_SALT, SALT_LENGTH);
      result = new SaltDrawn(draws, salt);
    }
    ScryptParameters scrypt =
        new ScryptParameters(salt, fromPassword.n(), fromPassword.r(), fromPassword.p());
    try {
      scrypt.validate();
    } catch (RuntimeException e) {
      // P1.4 reports it; nothing to derive ahead.
      return result;
    }
    derive(fromPassword.password(), scrypt, "dkrig-verifier");
    return result;
  }

  /**
   * Derives the verifier of {@code password} under {@code scrypt} on a daemon thread named {@code
   * name}, for {@code Crypto.scrypt}'s memo; a failure is left for P1.4, which derives it again and
   * reports it where it belongs.
   */
  static Thread derive(String password, ScryptParameters scrypt, String name) {
    Thread thread =
        new Thread(
            () -> {
              try {
                StartupMarks.mark(name);
                ProverSecrets.derive(password, scrypt);
                StartupMarks.mark(name + " done");
              } catch (RuntimeException e) {
                LOG.debug("verifier derivation ahead of P1.4 failed: {}", e.toString());
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The run's draws, whose first salt was drawn ahead. */
  private static final class SaltDrawn implements Draws {
    private final Draws draws;
    private byte[] salt;

    SaltDrawn(Draws draws, byte[] salt) {
      this.draws = draws;
      this.salt = salt;
    }

    @Override
    public BigInteger scalar(String name) {
      return draws.scalar(name);
    }

    @Override
    public synchronized byte[] bytes(String name, int length) {
      if (salt != null && name.equals(Draws.Names.VERIFIER_SALT) && length == salt.length) {
        StartupMarks.mark("P1.4");
        byte[] drawn = salt;
        salt = null;
        return drawn;
      }
      return draws.bytes(name, length);
    }
  }
}
